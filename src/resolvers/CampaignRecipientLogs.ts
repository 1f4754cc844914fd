import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { listRecipientLogs } from '../loaders/recipientLogs.js';
import { parseFirst } from '../relay/connection.js';

/** `Campaign.recipientLogs`: Migma's per-recipient logs; null on other providers' campaigns. */
export const campaignRecipientLogs: CampaignResolvers['recipientLogs'] = (campaign, { first, after, status }, context) => {
  if (campaign.provider !== 'MIGMA') return null;
  return listRecipientLogs(campaign, { first: parseFirst(first), after: after ?? null, status: status ?? null }, context);
};
