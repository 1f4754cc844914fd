import type { CampaignRecipientLogsArgs, CampaignResolvers } from '../__generated__/resolvers-types.js';
import type { GatewayContext } from '../context.js';
import type { CampaignModel } from '../domain/campaign.js';
import { parseFirst, serveConnection } from '../relay/connection.js';

/**
 * `Campaign.recipientLogs`: per-recipient logs of a provider that has them (capability
 * `recipientLogs`); null elsewhere, and when the provider no longer has the campaign.
 */
export const campaignRecipientLogs: CampaignResolvers['recipientLogs'] = (campaign, args, context) => readCampaignRecipientLogs(campaign, args, context);

/** What `Campaign.recipientLogs` answers (also read ahead by a lookup that proves its campaign with it). */
export function readCampaignRecipientLogs(campaign: CampaignModel, { first, after, status }: Partial<CampaignRecipientLogsArgs>, { providers }: GatewayContext) {
  const source = providers.require(campaign.provider).recipientLogs;
  if (!source) return null;
  const count = parseFirst(first);
  return serveConnection({
    connection: 'Campaign.recipientLogs',
    scope: { campaign: campaign.providerId, status: status ?? null },
    after,
    positions: source.recipientLogPositions,
    start: { page: null, skip: 0 },
    read: async (from) => {
      const page = await source.readRecipientLogs(campaign, { from, count, status: status ?? null });
      if (!page) return null;
      return {
        nodes: page.logs,
        positionAfter: page.positionAfter,
        hasNextPage: page.hasMore,
        // Migma gives no total.
        totalCount: null,
      };
    },
  });
}
