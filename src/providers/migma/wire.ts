/**
 * Migma wire format: the published docs of the logs and stats calls, the SDK for campaigns
 * (docs/providers/migma.md). The API is camelCase except log rows, which are snake_case tracking-worker columns.
 */

/** Every body: `{success: true, data}`, or `{success: false, error, code?}` (docs). */
export interface MigmaEnvelope<T> {
  success: boolean;
  data?: T | null;
  error?: string | null;
  /** Machine-readable, e.g. IDEMPOTENCY_CONFLICT (docs); which codes exist is not published. */
  code?: string;
}

/** A campaign (sdk: the list and the lookup are not in the published docs). */
export interface MigmaCampaign {
  id: string;
  projectId?: string | null;
  name?: string | null;
  subject?: string | null;
  /** draft, pending_review, scheduled, sending, throttled, ab_testing, sent, failed, cancelled */
  status?: string | null;
  scheduledAt?: string | null;
  sentAt?: string | null;
  completedAt?: string | null;
  estimatedRecipients?: number | null;
  createdAt?: string | null;
  updatedAt?: string | null;
}

/** `GET /v1/campaigns?projectId=&status=&page=&limit=` data (sdk). */
export interface MigmaCampaignList {
  campaigns: MigmaCampaign[];
  /** Null when the answer has none. */
  total: number | null;
}

/** `GET /v1/campaigns/{id}/stats` data (docs). */
export interface MigmaStats {
  totalSent: number;
  totalDelivered: number;
  uniqueOpens: number;
  totalOpens: number;
  uniqueClicks: number;
  totalClicks: number;
  unsubscribes: number;
  bounces: number;
  /** Documented as a ratio, called 0-100 in the SDK's comments: never passed through. */
  openRate: number;
  /** Same scale doubt as openRate. */
  clickRate: number;
  lastUpdated: string;
  botOpens?: number | null;
  botClicks?: number | null;
  mppOpens?: number | null;
}

/** One row of `GET /v1/campaigns/{id}/logs` (docs: tracking-worker columns, snake_case). */
export interface MigmaLogRow {
  to_email: string;
  subject?: string | null;
  /** Free text, e.g. delivered, bounced, complained, suppressed (docs). */
  status: string;
  opened_at?: string | null;
  clicked_at?: string | null;
  open_count?: number | null;
  click_count?: number | null;
  bounce_type?: string | null;
  complaint_type?: string | null;
  campaign_id?: string | null;
  created_at: string;
}

/** `GET /v1/campaigns/{id}/logs` data: newest first, forward-only cursor pages (docs). */
export interface MigmaLogPage {
  emails: MigmaLogRow[];
  nextCursor: string | null;
  hasMore: boolean;
}

/** Campaign status values (sdk). */
export const MIGMA_CAMPAIGN_STATUSES = [
  'draft',
  'pending_review',
  'scheduled',
  'sending',
  'throttled',
  'ab_testing',
  'sent',
  'failed',
  'cancelled',
] as const;

/** The logs `status` filter values (docs). */
export const MIGMA_LOG_STATUS_FILTERS = ['delivered', 'opened', 'clicked', 'bounced', 'spam_report'] as const;
export type MigmaLogStatusFilter = (typeof MIGMA_LOG_STATUS_FILTERS)[number];

/** Largest logs `limit` (docs: 1..100). */
export const MIGMA_LOG_MAX_LIMIT = 100;

/** Largest campaign-list `limit`: not documented, 100 assumed (guess; no maximum is published). */
export const MIGMA_LIST_MAX_LIMIT = 100;
