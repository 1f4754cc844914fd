import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import type { EmailLogFilterModel } from '../../domain/emailLog.js';
import { parseFirst } from '../../relay/connection.js';
import { ARGUMENT_LIMITS, checkLength } from '../argumentLimits.js';
import { emailLogConnection } from '../emailLogConnection.js';

/** `Query.emailLogs`: the email logs of the provider that has them (capability `emailLogs`). */
export const emailLogs: QueryResolvers['emailLogs'] = (_parent, { first, after, filter }, { providers }) => {
  const count = parseFirst(first);
  const clean: EmailLogFilterModel = Object.fromEntries(Object.entries(filter ?? {}).filter(([, value]) => value !== null && value !== undefined));
  for (const [name, value] of Object.entries(clean)) {
    if (typeof value === 'string') checkLength(value, ARGUMENT_LIMITS.filterText, `filter.${name}`);
  }
  const source = providers.requireCapable('emailLogs').emailLogs!;
  return emailLogConnection(source, { connection: 'emailLogs', filter: clean, first: count, after });
};
