import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import type { EmailLogFilterModel } from '../../domain/emailLog.js';
import { BadUserInputError } from '../../errors.js';
import { emailLogConnection } from '../../loaders/emailLogConnection.js';
import { IB_LOG_RETENTION_MS } from '../../providers/infobip/wire.js';
import { parseFirst } from '../../relay/connection.js';

/** Slack for clients that compute "48 hours ago" a moment before the request arrives. */
const RETENTION_SLACK_MS = 60_000;

export const emailLogs: QueryResolvers['emailLogs'] = (_parent, { first, after, filter }, { providers }) => {
  const count = parseFirst(first);
  const clean: EmailLogFilterModel = Object.fromEntries(
    Object.entries(filter ?? {}).filter(([, value]) => value !== null && value !== undefined),
  );
  checkWindow(clean);
  return emailLogConnection(
    { connection: 'emailLogs', filter: clean, first: count, after: after ?? null },
    providers.require('INFOBIP'),
  );
};

/** A window reaching before Infobip's 48 hours is an error, not a silently empty or clamped page. */
function checkWindow(filter: EmailLogFilterModel): void {
  const oldest = Date.now() - IB_LOG_RETENTION_MS - RETENTION_SLACK_MS;
  for (const name of ['sentSince', 'sentUntil'] as const) {
    const value = filter[name];
    if (value && value.getTime() < oldest) {
      throw new BadUserInputError(
        `filter.${name} ${value.toISOString()} is more than 48 hours ago: Infobip keeps email logs for 48 hours only`,
        { argument: `filter.${name}` },
      );
    }
  }
  if (filter.sentSince && filter.sentUntil && filter.sentSince > filter.sentUntil) {
    throw new BadUserInputError('filter.sentSince must not be after filter.sentUntil', { argument: 'filter.sentSince' });
  }
}
