import { emptyStats, type CampaignModel, type CampaignStatsModel, type CampaignStatus } from '../../domain/campaign.js';
import { parseProviderDate, wireInt, wireText } from '../wireValues.js';
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
    name: wireText(wire.name),
    subject: wireText(wire.subject),
    status: toCampaignStatus(wireText(wire.status)),
    providerStatus: wireText(wire.status),
    scheduledAt: parseProviderDate(wire.scheduledAt),
    sentAt: parseProviderDate(wire.sentAt),
    createdAt: parseProviderDate(wire.createdAt),
    totalRecipients: wireInt(wire.totalRecipients),
  };
}

/** Counts as reported; `opened` is opens, `clicked` clicks, `bounced` bounces, `complained` complaints. */
export function toCampaignStats(stats: EsxStats): CampaignStatsModel {
  return {
    ...emptyStats('PROVIDER'),
    sent: wireInt(stats.sent),
    delivered: wireInt(stats.delivered),
    opens: wireInt(stats.opened),
    uniqueOpens: wireInt(stats.uniqueOpens),
    clicks: wireInt(stats.clicked),
    uniqueClicks: wireInt(stats.uniqueClicks),
    bounces: wireInt(stats.bounced),
    complaints: wireInt(stats.complained),
    unsubscribes: wireInt(stats.unsubscribed),
  };
}
