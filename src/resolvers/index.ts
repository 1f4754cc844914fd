import type { Resolvers } from '../__generated__/resolvers-types.js';
import { Campaign } from './Campaign.js';
import { CampaignStats } from './CampaignStats.js';
import { DateTime } from './DateTime.js';
import { EmailLog } from './EmailLog.js';
import { Node } from './Node.js';
import { campaign } from './Query/campaign.js';
import { campaignByProviderId } from './Query/campaignByProviderId.js';
import { campaigns } from './Query/campaigns.js';
import { emailLogs } from './Query/emailLogs.js';
import { node } from './Query/node.js';
import { nodes } from './Query/nodes.js';
import { sendLogs } from './Query/sendLogs.js';
import { RecipientLog } from './RecipientLog.js';
import { SendLog } from './SendLog.js';
import { totalCount } from './connectionTotals.js';

export const resolvers: Resolvers = {
  DateTime,
  Node,
  Campaign,
  EmailLog,
  CampaignStats,
  RecipientLog,
  SendLog,
  CampaignConnection: { totalCount },
  SendLogConnection: { totalCount },
  RecipientLogConnection: { totalCount },
  EmailLogConnection: { totalCount },
  Query: { node, nodes, campaign, campaignByProviderId, campaigns, sendLogs, emailLogs },
};
