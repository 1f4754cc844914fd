import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { campaignEmailLogs } from './CampaignEmailLogs.js';
import { campaignRecipientLogs } from './CampaignRecipientLogs.js';
import { campaignSendLogs } from './CampaignSendLogs.js';
import { PROVIDERS } from '../domain/campaign.js';
import { BadUserInputError } from '../errors.js';
import { ARGUMENT_LIMITS, checkLength } from './argumentLimits.js';
import { nodeId, parseNodeId } from './nodeIds.js';

export const Campaign: CampaignResolvers = {
  id: (campaign) => nodeId('Campaign', campaign.provider, campaign.providerId),
  stats: (campaign, _args, { providers }) => providers.require(campaign.provider).campaignStats(campaign),
  recipientLogs: campaignRecipientLogs,
  sendLogs: campaignSendLogs,
  emailLogs: campaignEmailLogs,
  // Federation: a supergraph refers to a Campaign by `id` or by `provider providerId`.
  __resolveReference: async (reference, { providers }) => {
    const ref =
      'id' in reference ? parseNodeId(reference.id, 'Campaign') : { provider: reference.provider, providerId: reference.providerId };
    if (!(PROVIDERS as readonly string[]).includes(ref.provider)) {
      throw new BadUserInputError(`"${String(ref.provider)}" is not a provider`, { argument: 'representations' });
    }
    return providers.require(ref.provider).campaign(checkLength(String(ref.providerId), ARGUMENT_LIMITS.providerId, 'representations'));
  },
};
