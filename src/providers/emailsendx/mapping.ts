import { emptyStats, type CampaignModel, type CampaignStatsModel, type CampaignStatus } from '../../domain/campaign.js';
import { parseProviderDate } from '../wireValues.js';
import type { EsxCampaign, EsxStats } from './wire.js';

const STATUS: Record<string, CampaignStatus> = {
  draft: 'DRAFT',
  scheduled: 'SCHEDULED',
  sending: 'SENDING',
  sent: 'SENT',
  paused: 'PAUSED',
  cancelled: 'CANCELLED',
};

/** EmailSendX status value to CampaignStatus; unknown values are UNKNOWN (raw kept in providerStatus). */
export function toCampaignStatus(value: string | null | undefined): CampaignStatus {
  return (value && STATUS[value.toLowerCase()]) || 'UNKNOWN';
}

/** The upstream `status` filter value for a CampaignStatus, or null when EmailSendX has none. */
export function toUpstreamStatus(status: CampaignStatus): string | null {
  return Object.entries(STATUS).find(([, s]) => s === status)?.[0] ?? null;
}

export function toCampaign(wire: EsxCampaign): CampaignModel {
  return {
    provider: 'EMAILSENDX',
    providerId: wire.id,
    name: wire.name ?? null,
    subject: wire.subject ?? null,
    status: toCampaignStatus(wire.status),
    providerStatus: wire.status ?? null,
    scheduledAt: parseProviderDate(wire.scheduledAt),
    sentAt: parseProviderDate(wire.sentAt),
    createdAt: parseProviderDate(wire.createdAt),
    totalRecipients: wire.totalRecipients ?? null,
  };
}

/** Counts as reported; `opened` is opens, `clicked` clicks, `bounced` bounces, `complained` complaints. */
export function toCampaignStats(stats: EsxStats): CampaignStatsModel {
  return {
    ...emptyStats('PROVIDER'),
    sent: count(stats.sent),
    delivered: count(stats.delivered),
    opens: count(stats.opened),
    uniqueOpens: count(stats.uniqueOpens),
    clicks: count(stats.clicked),
    uniqueClicks: count(stats.uniqueClicks),
    bounces: count(stats.bounced),
    complaints: count(stats.complained),
    unsubscribes: count(stats.unsubscribed),
  };
}

function count(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
