import type { EmailLogFilterModel } from '../domain/emailLog.js';
import type { EmailLogSource } from '../providers/provider.js';
import { serveConnection } from '../relay/connection.js';
import type { EmailLogConnectionModel } from './mappers.js';

/**
 * A page of email logs as a connection. `connection` names the field (`emailLogs`,
 * `Campaign.emailLogs`); the filter is the cursor's scope, so a cursor works only with the same one.
 */
export async function emailLogConnection(
  source: EmailLogSource,
  args: { connection: string; filter: EmailLogFilterModel; first: number; after: string | null | undefined },
): Promise<EmailLogConnectionModel> {
  const connection = await serveConnection({
    connection: args.connection,
    scope: args.filter,
    after: args.after,
    positions: source.emailLogPositions,
    start: null,
    read: async (after) => {
      const page = await source.readEmailLogs({ filter: args.filter, count: args.first, after });
      return { nodes: page.logs, positionAfter: (i) => page.positionAfter(i), hasNextPage: page.hasMore, totalCount: null };
    },
  });
  return connection!;
}
