import { emptyStats, type CampaignModel, type CampaignStatsModel, type CampaignStatus } from '../../domain/campaign.js';
import type { RecipientLogModel, RecipientLogStatus } from '../../domain/recipientLog.js';
import { parseProviderDate, wireInt, wireText } from '../wireValues.js';
import type { MigmaCampaign, MigmaLogRow, MigmaLogStatusFilter, MigmaStats } from './wire.js';

const STATUS: Record<string, CampaignStatus> = {
  draft: 'DRAFT',
  pending_review: 'SCHEDULED',
  scheduled: 'SCHEDULED',
  sending: 'SENDING',
  throttled: 'SENDING',
  ab_testing: 'SENDING',
  sent: 'SENT',
  failed: 'FAILED',
  cancelled: 'CANCELLED',
};

/** Migma status value to CampaignStatus; unknown values are UNKNOWN (raw kept in providerStatus). */
export function toCampaignStatus(value: string | null | undefined): CampaignStatus {
  return (value && STATUS[value.toLowerCase()]) || 'UNKNOWN';
}

/** The Migma status values that map to a CampaignStatus (several for SCHEDULED and SENDING, none for PAUSED). */
export function toUpstreamStatuses(status: CampaignStatus): string[] {
  return Object.entries(STATUS)
    .filter(([, s]) => s === status)
    .map(([value]) => value);
}

/** A Migma campaign as the domain Campaign. */
export function toCampaign(wire: MigmaCampaign): CampaignModel {
  return {
    provider: 'MIGMA',
    providerId: wire.id,
    name: wireText(wire.name),
    subject: wireText(wire.subject),
    status: toCampaignStatus(wireText(wire.status)),
    providerStatus: wireText(wire.status),
    scheduledAt: parseProviderDate(wire.scheduledAt),
    // sentAt when Migma has it, else completedAt (guess: the SDK's campaign has both, their meaning unstated).
    sentAt: parseProviderDate(wire.sentAt) ?? parseProviderDate(wire.completedAt),
    createdAt: parseProviderDate(wire.createdAt),
    totalRecipients: wireInt(wire.estimatedRecipients),
  };
}

/**
 * Counts and lastUpdated as reported; `totalOpens` is opens, `totalClicks` clicks. Migma reports no
 * complaints. Its openRate/clickRate are dropped: their scale is unclear (docs vs sdk), rates are derived.
 */
export function toCampaignStats(stats: MigmaStats): CampaignStatsModel {
  return {
    ...emptyStats('PROVIDER'),
    sent: wireInt(stats.totalSent),
    delivered: wireInt(stats.totalDelivered),
    opens: wireInt(stats.totalOpens),
    uniqueOpens: wireInt(stats.uniqueOpens),
    clicks: wireInt(stats.totalClicks),
    uniqueClicks: wireInt(stats.uniqueClicks),
    bounces: wireInt(stats.bounces),
    unsubscribes: wireInt(stats.unsubscribes),
    botOpens: wireInt(stats.botOpens),
    botClicks: wireInt(stats.botClicks),
    mppOpens: wireInt(stats.mppOpens),
    lastUpdated: parseProviderDate(stats.lastUpdated),
  };
}

const LOG_FILTER: Record<RecipientLogStatus, MigmaLogStatusFilter> = {
  DELIVERED: 'delivered',
  OPENED: 'opened',
  CLICKED: 'clicked',
  BOUNCED: 'bounced',
  // The documented value; the SDK sends `complained` instead (sdk).
  SPAM_REPORT: 'spam_report',
};

/** The logs `status` query value for our filter. */
export function toLogStatusFilter(status: RecipientLogStatus): MigmaLogStatusFilter {
  return LOG_FILTER[status];
}

/** A snake_case log row of `campaignId` (the client has checked to_email, status and created_at). */
export function toRecipientLog(row: MigmaLogRow, campaignId: string): RecipientLogModel {
  return new MigmaRecipientLog(row, campaignId);
}

/**
 * A log row as resolvers see it. Dates are parsed when read: a page of 100 rows is three hundred
 * dates most queries never select. A class, not an object literal with getters: its getters live
 * on the prototype, where a literal gives every row its own closures and property dictionary
 * (about 1.8 KB a row, the largest allocation of a logs query; docs/performance.md).
 */
class MigmaRecipientLog implements RecipientLogModel {
  readonly campaignProvider = 'MIGMA' as const;
  readonly toEmail: string;
  readonly subject: string | null;
  readonly status: string;
  readonly openCount: number;
  readonly clickCount: number;
  readonly bounceType: string | null;
  readonly complaintType: string | null;
  #openedAt: Date | null | undefined = undefined;
  #clickedAt: Date | null | undefined = undefined;
  #createdAt: Date | undefined = undefined;

  readonly #row: MigmaLogRow;

  constructor(
    row: MigmaLogRow,
    readonly campaignId: string,
  ) {
    this.#row = row;
    this.toEmail = row.to_email;
    this.subject = wireText(row.subject);
    this.status = row.status;
    this.openCount = wireInt(row.open_count) ?? 0;
    this.clickCount = wireInt(row.click_count) ?? 0;
    this.bounceType = wireText(row.bounce_type);
    this.complaintType = wireText(row.complaint_type);
  }

  get openedAt(): Date | null {
    return this.#openedAt === undefined ? (this.#openedAt = parseProviderDate(this.#row.opened_at)) : this.#openedAt;
  }

  get clickedAt(): Date | null {
    return this.#clickedAt === undefined ? (this.#clickedAt = parseProviderDate(this.#row.clicked_at)) : this.#clickedAt;
  }

  get createdAt(): Date {
    return (this.#createdAt ??= parseProviderDate(this.#row.created_at)!);
  }
}
