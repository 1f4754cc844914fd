import type { Config } from '../config.js';
import type { CampaignModel, CampaignStatsModel, CampaignStatus, ProviderName } from '../domain/campaign.js';
import type { RunningSimulator } from './simulatorServer.js';

/** What a provider's per-request session needs from the request. */
export interface RequestScope {
  /** Aborts when the client goes away; passed to every upstream call. */
  signal: AbortSignal;
}

/** A window of one provider's campaign list. */
export interface CampaignListQuery {
  /** Opaque position in this provider's list (0 = start), as returned in `CampaignListEntry.next`. */
  position: number;
  count: number;
  /** Only campaigns in these states; null for all. */
  statuses: readonly CampaignStatus[] | null;
}

export interface CampaignListEntry {
  campaign: CampaignModel;
  /** The position right after this campaign: a cursor resumes the list there. */
  next: number;
}

export interface CampaignListPage {
  entries: CampaignListEntry[];
  /** Campaigns in this provider's list for the query's statuses, when the API says. */
  total: number | null;
  /** True when campaigns may follow the last entry. */
  hasMore: boolean;
}

/**
 * A provider's per-request session: loaders (deduplicated, cached for the request) and list
 * translation. Every provider offers at least this; each adds its own logs.
 */
export interface CampaignSource {
  readonly provider: ProviderName;
  /** One campaign by the provider's id; null when it does not exist. */
  campaign(providerId: string): Promise<CampaignModel | null>;
  /** Stats of a campaign this session returned; null when the provider has none. */
  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null>;
  /** Absent for providers without a campaign listing (Infobip). */
  listCampaigns?(query: CampaignListQuery): Promise<CampaignListPage>;
}

/** A configured provider, for the life of the process (connection pool, settings). */
export interface ProviderConnection<S extends CampaignSource = CampaignSource> {
  session(scope: RequestScope): S;
  /** Why campaigns cannot be listed although the provider is configured (Migma without a project id). */
  listingUnavailable?: string;
  close(): Promise<void>;
}

/**
 * Starts a simulator of a provider's API with deterministic demo data. Without
 * `rateLimitPerMinute` it allows ten times the provider's documented limit, so demo users and test
 * suites do not trip it; tests of the documented limit pass it explicitly.
 */
export interface SimulatorFactory {
  (options: { apiKey: string; port?: number; rateLimitPerMinute?: number }): Promise<RunningSimulator>;
}

/** Everything the gateway knows of one provider. */
export interface ProviderModule<S extends CampaignSource = CampaignSource> {
  name: ProviderName;
  /** The variables that enable it, for PROVIDER_NOT_CONFIGURED messages. */
  credentialVariables: string;
  /** Null when the configuration does not enable this provider. */
  connect(config: Config): ProviderConnection<S> | null;
  /** Demo mode and tests: a simulator of the provider's API. */
  startSimulator: SimulatorFactory;
}
