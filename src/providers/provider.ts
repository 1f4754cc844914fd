import type { CampaignModel, CampaignStatsModel, CampaignStatus, ProviderName } from '../domain/campaign.js';
import type { EmailLogFilterModel, EmailLogModel } from '../domain/emailLog.js';
import type { RecipientLogPage, RecipientLogPosition, RecipientLogStatus } from '../domain/recipientLog.js';
import type { SendLogModel, SendLogSearch, SendLogWindow } from '../domain/sendLog.js';
import type { Env } from '../configVars.js';
import type { UpstreamClient, UpstreamErrorInfo } from '../http/upstreamClient.js';
import type { RateLimitHint } from '../http/quotaStage.js';
import type { Route } from '../http/route.js';
import type { PositionCodec } from '../relay/connection.js';

export type { PositionCodec } from '../relay/connection.js';
import type { RunningSimulator } from './simulatorServer.js';

/** What a provider's per-request session needs from the request. */
export interface RequestScope {
  /** Aborts when the client goes away; passed to every upstream call. */
  signal: AbortSignal;
}

/** A window of one provider's campaign list. */
export interface CampaignListQuery {
  /** Position in this provider's list (0 = start), as returned in `CampaignListEntry.next`. */
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

/** Capability `campaignList`: the provider lists its campaigns. */
export interface CampaignLister {
  listCampaigns(query: CampaignListQuery): Promise<CampaignListPage>;
}

/** A window of one campaign's recipient logs: from a position, at most `count` rows, optionally filtered. */
export interface RecipientLogQuery {
  from: RecipientLogPosition;
  count: number;
  status: RecipientLogStatus | null;
}

/** Capability `recipientLogs`: per-recipient rows of a campaign (`Campaign.recipientLogs`). */
export interface RecipientLogSource {
  readonly recipientLogPositions: PositionCodec<RecipientLogPosition>;
  /** Null when the provider no longer has the campaign. */
  readRecipientLogs(campaign: CampaignModel, query: RecipientLogQuery): Promise<RecipientLogPage | null>;
}

/** Capability `sendLogs`: send runs of campaigns (`Campaign.sendLogs`, `Query.sendLogs`, `SendLog`). */
export interface SendLogSource {
  /** Positions are offsets in the list. */
  readonly sendLogPositions: PositionCodec<number>;
  campaignSendLogs(campaignId: string, skip: number, count: number): Promise<SendLogWindow>;
  campaignSendLogTotal(campaignId: string): Promise<number | null>;
  searchSendLogs(search: SendLogSearch, skip: number, count: number): Promise<SendLogWindow>;
  sendLog(providerId: string): Promise<SendLogModel | null>;
  sendLogDestinations(log: SendLogModel): Promise<string[] | null>;
}

/** Where an email-log walk resumes; opaque to generic code (the session's codec reads it). */
export type EmailLogPosition = unknown;

export interface EmailLogQuery {
  filter: EmailLogFilterModel;
  count: number;
  /** Resume after this position; null from the newest log. */
  after: EmailLogPosition | null;
}

export interface EmailLogPage {
  logs: EmailLogModel[];
  hasMore: boolean;
  /** The position right after the log at `index`. */
  positionAfter(index: number): EmailLogPosition;
}

/** Capability `emailLogs`: per-message email logs (`Campaign.emailLogs`, `Query.emailLogs`, `EmailLog`). */
export interface EmailLogSource {
  readonly emailLogPositions: PositionCodec<EmailLogPosition>;
  /** @throws InvalidArgument for a filter the provider cannot serve. */
  readEmailLogs(query: EmailLogQuery): Promise<EmailLogPage>;
  emailLog(messageId: string): Promise<EmailLogModel | null>;
}

/**
 * A provider's per-request session: loaders (deduplicated, cached for the request) and paging
 * translation. Every provider serves campaigns and their stats; the rest are capabilities, present
 * exactly when the definition lists them.
 */
export interface ProviderSession {
  readonly provider: ProviderName;
  /** One campaign by the provider's id; null when it does not exist. */
  campaign(providerId: string): Promise<CampaignModel | null>;
  /** Stats of a campaign this session returned; null when the provider has none. */
  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null>;
  /**
   * A campaign known only by its id, not looked up (its record fields empty), for a provider
   * whose `recipientLogs` read answers null exactly when it has no such campaign: a query that
   * reads only the campaign's keys, stats and logs then proves it exists by the logs call and
   * saves the lookup (src/resolvers/existenceProof.ts). Absent: every campaign is looked up.
   */
  campaignReference?(providerId: string): CampaignModel;
  readonly campaignList?: CampaignLister;
  readonly recipientLogs?: RecipientLogSource;
  readonly sendLogs?: SendLogSource;
  readonly emailLogs?: EmailLogSource;
}

export type Capability = 'campaignList' | 'recipientLogs' | 'sendLogs' | 'emailLogs';

/**
 * Worst-case upstream calls of what a provider serves, per parent object, for the cost model
 * (src/limits/costModel.ts): derived from its routes' page sizes. Absent entries: the provider does
 * not serve that capability.
 */
export interface ProviderCosts {
  /** One campaign (or log) by id. */
  lookup: number;
  /** `Campaign.stats` of one campaign. */
  stats: number;
  /** `Query.campaigns(first)`: this provider's share of a cross-provider page. */
  listCampaigns?(first: number): number;
  recipientLogs?(first: number): number;
  campaignSendLogs?(first: number): number;
  sendLogSearch?(first: number): number;
  /** `SendLog.destinations` of one send log. */
  destinations?: number;
  campaignEmailLogs?(first: number): number;
  emailLogSearch?(first: number): number;
}

/** Connection settings every provider has; a definition adds its own. */
export interface ProviderSettings {
  apiKey: string;
  /** scheme + host (+ port), no trailing slash; the client appends the documented path. */
  baseUrl: string;
  /** Calls a minute this gateway (all instances sharing REDIS_URL) sends; 0: no limit. */
  rateLimitPerMinute: number;
}

/** A provider opened for the life of the process: its client, made into sessions per request. */
export interface OpenedProvider {
  session(scope: RequestScope): ProviderSession;
  /** The variable that is missing for listing, when the provider could otherwise list (Migma's project id). */
  listingUnavailable?: string;
}

/** Options of a simulator start (tests and demo mode). */
export interface SimulatorOptions {
  apiKey: string;
  port?: number;
  /** Requests per minute per key before the simulator answers 429; default: the module's own. */
  rateLimitPerMinute?: number;
}

/** A provider's simulator module, loaded on demand by demo mode and tests only. */
export interface SimulatorModule {
  start(options: SimulatorOptions): Promise<RunningSimulator>;
  /** Settings demo mode sets beyond key and base URL, as environment variables (Migma's project id). */
  demoEnv?: Record<string, string>;
}

/**
 * Everything the gateway knows of one provider, in one place: its variables, auth, error body,
 * envelope, documented quota, the routes it calls, its capabilities, how a session is made, and
 * where its simulator lives.
 */
export interface ProviderDefinition<S extends ProviderSettings = ProviderSettings> {
  name: ProviderName;
  /** Its variables: `<NAME>_API_KEY` and `<NAME>_BASE_URL` enable it, `<NAME>_RATE_LIMIT_PER_MINUTE` caps its calls. */
  variables: { apiKey: string; baseUrl: string; rateLimit: string };
  /** The documented base URL, or null when it is per account (then `<NAME>_BASE_URL` is required). */
  defaultBaseUrl: string | null;
  /** Settings beyond key and base URL, read from the environment config.ts hands it. */
  readSettings?(env: Env, base: ProviderSettings): S;
  authHeaders(apiKey: string): Record<string, string>;
  readError(body: unknown): UpstreamErrorInfo;
  /** Unwraps a 2xx body's envelope (see UpstreamClientOptions.unwrap). */
  unwrap?(body: unknown, route: Route): unknown;
  /** The documented request quota (the default of its rate-limit variable), with where it is documented. */
  quota: { perMinute: number; source: string };
  /** Reads what the provider's rate-limit headers say is left, for providers that send them. */
  rateLimitHint?(headers: Readonly<Record<string, string | string[] | undefined>>): RateLimitHint | null;
  /** Every call the provider makes, by name. */
  routes: Readonly<Record<string, Route>>;
  capabilities: readonly Capability[];
  /** What its fields cost in calls, for the cost limit. */
  costs: ProviderCosts;
  /** Makes the per-process part from the client the gateway built from this definition. */
  open(client: UpstreamClient, settings: S): OpenedProvider;
  /** The simulator module; imported only when called (demo mode and tests). */
  simulator(): Promise<SimulatorModule>;
}

/** Declares a provider (typing its settings); `src/providers/registry.ts` lists them. */
export function defineProvider<S extends ProviderSettings>(definition: ProviderDefinition<S>): ProviderDefinition<S> {
  return definition;
}
