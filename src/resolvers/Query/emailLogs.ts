import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import type { EmailLogFilterModel } from '../../domain/emailLog.js';
import { parseFirst } from '../../relay/connection.js';
import { emailLogConnection } from '../emailLogConnection.js';

/** `Query.emailLogs`: the email logs of the provider that has them (capability `emailLogs`). */
export const emailLogs: QueryResolvers['emailLogs'] = (_parent, { first, after, filter }, { providers }) => {
  const count = parseFirst(first);
  const clean: EmailLogFilterModel = Object.fromEntries(Object.entries(filter ?? {}).filter(([, value]) => value !== null && value !== undefined));
  const source = providers.requireCapable('emailLogs').emailLogs!;
  return emailLogConnection(source, { connection: 'emailLogs', filter: clean, first: count, after });
};
