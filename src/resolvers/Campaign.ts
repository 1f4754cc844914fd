import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { campaignEmailLogs } from './CampaignEmailLogs.js';
import { campaignRecipientLogs } from './CampaignRecipientLogs.js';
import { campaignSendLogs } from './CampaignSendLogs.js';
import { PROVIDERS, type ProviderName } from '../domain/campaign.js';
import { BadUserInputError } from '../errors.js';
import { ARGUMENT_LIMITS, checkLength } from './argumentLimits.js';
import { nodeId, parseNodeId, representationKeys } from './nodeIds.js';

export const Campaign: CampaignResolvers = {
  id: (campaign) => nodeId('Campaign', campaign.provider, campaign.providerId),
  stats: (campaign, _args, { providers }) => providers.require(campaign.provider).campaignStats(campaign),
  recipientLogs: campaignRecipientLogs,
  sendLogs: campaignSendLogs,
  emailLogs: campaignEmailLogs,
  // Federation: a supergraph refers to a Campaign by `id` or by `provider providerId`.
  __resolveReference: async (reference, { providers }) => {
    const ref =
      'id' in reference
        ? parseNodeId(representationKeys('Campaign', reference, 'id').id, 'Campaign')
        : representationKeys('Campaign', reference, 'provider', 'providerId');
    if (!(PROVIDERS as readonly string[]).includes(ref.provider)) {
      throw new BadUserInputError(`"${ref.provider.slice(0, 64)}" is not a provider`, { argument: 'representations' });
    }
    return providers.require(ref.provider as ProviderName).campaign(checkLength(ref.providerId, ARGUMENT_LIMITS.providerId, 'representations'));
  },
};
