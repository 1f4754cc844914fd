import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { parseFirst } from '../relay/connection.js';
import { emailLogConnection } from './emailLogConnection.js';

/** `Campaign.emailLogs`: the logs of a campaign of a provider with email logs (Infobip: its campaignReferenceId); null elsewhere. */
export const campaignEmailLogs: CampaignResolvers['emailLogs'] = (campaign, { first, after }, { providers }) => {
  const source = providers.require(campaign.provider).emailLogs;
  if (!source) return null;
  return emailLogConnection(source, { connection: 'Campaign.emailLogs', filter: { campaignReferenceId: campaign.providerId }, first: parseFirst(first), after });
};
