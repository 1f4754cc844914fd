import { emptyStats, type CampaignModel, type CampaignStatsModel, type CampaignStatus } from '../../domain/campaign.js';
import type { RecipientLogModel, RecipientLogStatus } from '../../domain/recipientLog.js';
import { parseProviderDate } from '../wireValues.js';
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
    name: wire.name ?? null,
    subject: wire.subject ?? null,
    status: toCampaignStatus(wire.status),
    providerStatus: wire.status ?? null,
    scheduledAt: parseProviderDate(wire.scheduledAt),
    // sentAt when Migma has it, else completedAt (the lead's reading of NOTES.md's field list).
    sentAt: parseProviderDate(wire.sentAt) ?? parseProviderDate(wire.completedAt),
    createdAt: parseProviderDate(wire.createdAt),
    totalRecipients: count(wire.estimatedRecipients),
  };
}

/**
 * Counts and lastUpdated as reported; `totalOpens` is opens, `totalClicks` clicks. Migma reports no
 * complaints. Its openRate/clickRate are dropped: their scale is unclear (NOTES.md), rates are derived.
 */
export function toCampaignStats(stats: MigmaStats): CampaignStatsModel {
  return {
    ...emptyStats('PROVIDER'),
    sent: count(stats.totalSent),
    delivered: count(stats.totalDelivered),
    opens: count(stats.totalOpens),
    uniqueOpens: count(stats.uniqueOpens),
    clicks: count(stats.totalClicks),
    uniqueClicks: count(stats.uniqueClicks),
    bounces: count(stats.bounces),
    unsubscribes: count(stats.unsubscribes),
    botOpens: count(stats.botOpens),
    botClicks: count(stats.botClicks),
    mppOpens: count(stats.mppOpens),
    lastUpdated: parseProviderDate(stats.lastUpdated),
  };
}

const LOG_FILTER: Record<RecipientLogStatus, MigmaLogStatusFilter> = {
  DELIVERED: 'delivered',
  OPENED: 'opened',
  CLICKED: 'clicked',
  BOUNCED: 'bounced',
  // The documented value; the SDK sends `complained` instead (NOTES.md).
  SPAM_REPORT: 'spam_report',
};

/** The logs `status` query value for our filter. */
export function toLogStatusFilter(status: RecipientLogStatus): MigmaLogStatusFilter {
  return LOG_FILTER[status];
}

/** A snake_case log row of `campaignId` (the client has checked to_email, status and created_at). */
export function toRecipientLog(row: MigmaLogRow, campaignId: string): RecipientLogModel {
  return {
    campaignProvider: 'MIGMA',
    campaignId,
    toEmail: row.to_email,
    subject: row.subject ?? null,
    status: row.status,
    openedAt: parseProviderDate(row.opened_at),
    clickedAt: parseProviderDate(row.clicked_at),
    openCount: count(row.open_count) ?? 0,
    clickCount: count(row.click_count) ?? 0,
    bounceType: row.bounce_type ?? null,
    complaintType: row.complaint_type ?? null,
    createdAt: parseProviderDate(row.created_at)!,
  };
}

function count(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
