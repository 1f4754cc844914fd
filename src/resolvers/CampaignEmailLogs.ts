import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { emailLogConnection } from '../loaders/emailLogConnection.js';
import { parseFirst } from '../relay/connection.js';

/** `Campaign.emailLogs`: an Infobip campaign's logs (its campaignReferenceId); null for other providers. */
export const campaignEmailLogs: CampaignResolvers['emailLogs'] = (campaign, { first, after }, { providers }) => {
  if (campaign.provider !== 'INFOBIP') return null;
  return emailLogConnection(
    {
      connection: 'Campaign.emailLogs',
      filter: { campaignReferenceId: campaign.providerId },
      first: parseFirst(first),
      after: after ?? null,
    },
    providers.require('INFOBIP'),
  );
};
