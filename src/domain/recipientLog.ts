/**
 * Per-recipient delivery and engagement rows (Migma's campaign logs), as resolvers see them.
 */
import type { ProviderName } from './campaign.js';

/** The engagement filter of `Campaign.recipientLogs`. */
export const RECIPIENT_LOG_STATUSES = ['DELIVERED', 'OPENED', 'CLICKED', 'BOUNCED', 'SPAM_REPORT'] as const;
export type RecipientLogStatus = (typeof RECIPIENT_LOG_STATUSES)[number];

export interface RecipientLogModel {
  /** The campaign the row belongs to (provider and the provider's id). */
  campaignProvider: ProviderName;
  campaignId: string;
  toEmail: string;
  subject: string | null;
  /** The provider's free-text status (delivered, bounced, complained, suppressed, sent, ...). */
  status: string;
  openedAt: Date | null;
  clickedAt: Date | null;
  openCount: number;
  clickCount: number;
  bounceType: string | null;
  complaintType: string | null;
  createdAt: Date;
}

/**
 * Where a walk of one campaign's logs resumes: the provider's cursor of the upstream page
 * (null for the first page) and how many rows of that page were already returned; `end` once the
 * last row has been returned.
 */
export type RecipientLogPosition = { page: string | null; skip: number } | 'end';

/**
 * Rows read from a position. Their positions are worked out only when asked for (a cursor is
 * selected): no object per row beyond the row itself.
 */
export interface RecipientLogPage {
  logs: RecipientLogModel[];
  /** The position right after `logs[index]`. */
  positionAfter(index: number): RecipientLogPosition;
  /** True when rows follow the last one. */
  hasMore: boolean;
}
