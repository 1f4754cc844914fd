/**
 * The parent type of each GraphQL type (codegen mappers, see codegen.ts): resolvers receive these
 * domain models, never wire formats.
 */
import type { CampaignModel } from '../domain/campaign.js';
import type { RecipientLogModel } from '../domain/recipientLog.js';
import type { EmailLogModel } from '../domain/emailLog.js';
import type { SendLogModel } from '../domain/sendLog.js';
import type { Connection } from '../relay/connection.js';

export type { CampaignModel, CampaignStatsModel } from '../domain/campaign.js';
export type CampaignConnectionModel = Connection<CampaignModel>;
export type CampaignEdgeModel = CampaignConnectionModel['edges'][number];
export type { RecipientLogModel } from '../domain/recipientLog.js';
export type RecipientLogConnectionModel = Connection<RecipientLogModel>;
export type RecipientLogEdgeModel = RecipientLogConnectionModel['edges'][number];
export type { EmailLogModel } from '../domain/emailLog.js';
export type EmailLogConnectionModel = Connection<EmailLogModel>;
export type EmailLogEdgeModel = EmailLogConnectionModel['edges'][number];
export type { SendLogModel } from '../domain/sendLog.js';
export type SendLogConnectionModel = Connection<SendLogModel>;
export type SendLogEdgeModel = SendLogConnectionModel['edges'][number];

/** Every model `Query.node` can return (one per type that implements Node). */
export type NodeModel = CampaignModel | SendLogModel | EmailLogModel;
