import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { parseFirst, serveConnection } from '../relay/connection.js';

/**
 * `Campaign.sendLogs`: send runs of a provider that has them (capability `sendLogs`); null
 * elsewhere. The session batches every campaign of a query into one search.
 */
export const campaignSendLogs: CampaignResolvers['sendLogs'] = (campaign, { first, after }, { providers }) => {
  const source = providers.require(campaign.provider).sendLogs;
  if (!source) return null;
  const count = parseFirst(first);
  return serveConnection({
    connection: 'Campaign.sendLogs',
    scope: { campaign: campaign.providerId },
    after,
    positions: source.sendLogPositions,
    start: 0,
    read: async (offset) => {
      const window = await source.campaignSendLogs(campaign.providerId, offset, count);
      return {
        nodes: window.logs,
        positionAfter: (i) => offset + i + 1,
        hasNextPage: window.hasMore,
        // The batch knows each campaign's total only when it held all their rows; otherwise ask when selected.
        totalCount: window.total ?? (() => source.campaignSendLogTotal(campaign.providerId)),
      };
    },
  });
};
