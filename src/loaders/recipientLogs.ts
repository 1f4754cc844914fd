import type { GatewayContext } from '../context.js';
import type { CampaignModel } from '../domain/campaign.js';
import type { RecipientLogModel, RecipientLogPosition, RecipientLogStatus } from '../domain/recipientLog.js';
import { BadUserInputError } from '../errors.js';
import { buildConnection, type Connection } from '../relay/connection.js';
import { decodeCursor, encodeCursor } from '../relay/cursor.js';

const CONNECTION = 'Campaign.recipientLogs';

export interface RecipientLogArgs {
  first: number;
  after: string | null;
  status: RecipientLogStatus | null;
}

/**
 * `Campaign.recipientLogs` of a Migma campaign: our cursor carries Migma's page cursor and how many
 * rows of that page were returned, so `after` resumes mid-page. Null when Migma no longer has the campaign.
 */
export async function listRecipientLogs(
  campaign: CampaignModel,
  args: RecipientLogArgs,
  context: GatewayContext,
): Promise<Connection<RecipientLogModel> | null> {
  const scope = { campaign: campaign.providerId, status: args.status };
  const from: RecipientLogPosition = args.after != null ? readPosition(decodeCursor<unknown>(args.after, CONNECTION, scope)) : { page: null, skip: 0 };
  const page = await context.providers.require('MIGMA').recipientLogs(campaign, { from, count: args.first, status: args.status });
  if (!page) return null;
  return buildConnection({
    nodes: page.entries.map((entry) => entry.log),
    cursorOf: (_, i) => encodeCursor(CONNECTION, scope, writePosition(page.entries[i]!.next)),
    hasNextPage: page.hasMore,
    hasPreviousPage: args.after != null,
    // Migma gives no total.
    totalCount: null,
  });
}

/** Cursor JSON: `[page, skip]`, or 0 once the walk has returned the last row. */
function writePosition(position: RecipientLogPosition): [string | null, number] | 0 {
  return position === 'end' ? 0 : [position.page, position.skip];
}

function readPosition(value: unknown): RecipientLogPosition {
  if (value === 0) return 'end';
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    (value[0] === null || typeof value[0] === 'string') &&
    Number.isInteger(value[1]) &&
    value[1] >= 0
  ) {
    return { page: value[0], skip: value[1] };
  }
  throw new BadUserInputError('`after` is not a cursor of Campaign.recipientLogs', { argument: 'after' });
}
