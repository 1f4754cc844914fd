/**
 * Domain models: what every provider maps its wire format to, and what resolvers receive as
 * parents (codegen mappers). camelCase, Dates, no vendor quirks.
 */

export const PROVIDERS = ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

export const CAMPAIGN_STATUSES = [
  'DRAFT',
  'SCHEDULED',
  'SENDING',
  'SENT',
  'PAUSED',
  'CANCELLED',
  'FAILED',
  'UNKNOWN',
] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** Counts of one campaign, as the provider reports them or as derived from its logs. */
export interface CampaignStatsModel {
  source: 'PROVIDER' | 'DERIVED';
  sent: number | null;
  delivered: number | null;
  opens: number | null;
  uniqueOpens: number | null;
  clicks: number | null;
  uniqueClicks: number | null;
  bounces: number | null;
  complaints: number | null;
  unsubscribes: number | null;
  botOpens: number | null;
  botClicks: number | null;
  mppOpens: number | null;
  lastUpdated: Date | null;
}

export interface CampaignModel {
  provider: ProviderName;
  providerId: string;
  name: string | null;
  subject: string | null;
  status: CampaignStatus;
  providerStatus: string | null;
  scheduledAt: Date | null;
  sentAt: Date | null;
  createdAt: Date | null;
  totalRecipients: number | null;
}

/** Stats with every count null: providers spread their own counts over it. */
export function emptyStats(source: CampaignStatsModel['source']): CampaignStatsModel {
  return {
    source,
    sent: null,
    delivered: null,
    opens: null,
    uniqueOpens: null,
    clicks: null,
    uniqueClicks: null,
    bounces: null,
    complaints: null,
    unsubscribes: null,
    botOpens: null,
    botClicks: null,
    mppOpens: null,
    lastUpdated: null,
  };
}

/** numerator / denominator as a fraction, or null when either is missing or the denominator is 0. */
export function rate(numerator: number | null, denominator: number | null): number | null {
  if (numerator == null || denominator == null || denominator === 0) return null;
  return numerator / denominator;
}
