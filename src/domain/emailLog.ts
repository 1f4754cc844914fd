/**
 * Email log domain models (Infobip's `GET /email/1/logs` rows, camelCase, Dates): what resolvers
 * receive as `EmailLog` parents.
 */
import type { ProviderName } from './campaign.js';

export interface EmailPriceModel {
  pricePerMessage: number | null;
  currency: string | null;
}

export interface EmailStatusModel {
  groupId: number | null;
  groupName: string | null;
  id: number | null;
  name: string | null;
  description: string | null;
  action: string | null;
}

export interface EmailErrorModel {
  groupId: number | null;
  groupName: string | null;
  id: number | null;
  name: string | null;
  description: string | null;
  permanent: boolean | null;
}

export interface EmailLogModel {
  provider: ProviderName;
  messageId: string;
  bulkId: string | null;
  applicationId: string | null;
  entityId: string | null;
  to: string | null;
  from: string | null;
  text: string | null;
  sentAt: Date | null;
  doneAt: Date | null;
  messageCount: number | null;
  price: EmailPriceModel | null;
  status: EmailStatusModel | null;
  error: EmailErrorModel | null;
  /**
   * The campaign reference the log was queried with. Log rows do not carry it, so it is known only
   * when the query filtered by it (or came from a campaign); null otherwise.
   */
  campaignReferenceId: string | null;
}

/** What narrows a list of email logs; every field is optional. */
export interface EmailLogFilterModel {
  messageId?: string | null;
  from?: string | null;
  to?: string | null;
  bulkId?: string | null;
  campaignReferenceId?: string | null;
  generalStatus?: string | null;
  sentSince?: Date | null;
  sentUntil?: Date | null;
  applicationId?: string | null;
  entityId?: string | null;
}
