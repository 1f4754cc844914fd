import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { campaignSendLogs } from './CampaignSendLogs.js';
import { nodeId, parseNodeId } from './nodeIds.js';

export const Campaign: CampaignResolvers = {
  id: (campaign) => nodeId('Campaign', campaign.provider, campaign.providerId),
  stats: (campaign, _args, { providers }) => providers.require(campaign.provider).campaignStats(campaign),
  sendLogs: campaignSendLogs,
  // Federation: a supergraph refers to a Campaign by `id` or by `provider providerId`.
  __resolveReference: async (reference, { providers }) => {
    const ref =
      'id' in reference ? parseNodeId(reference.id, 'Campaign') : { provider: reference.provider, providerId: reference.providerId };
    return providers.require(ref.provider).campaign(ref.providerId);
  },
};
