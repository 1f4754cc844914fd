import type { CampaignModel, CampaignStatsModel } from '../../domain/campaign.js';
import type { RecipientLogModel, RecipientLogPage, RecipientLogPosition } from '../../domain/recipientLog.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import { listPagedCampaigns } from '../paging/pagedCampaignList.js';
import type {
  CampaignLister,
  CampaignListPage,
  CampaignListQuery,
  PositionCodec,
  ProviderSession,
  RecipientLogQuery,
  RecipientLogSource,
  RequestScope,
} from '../provider.js';
import type { MigmaClient } from './client.js';
import { toCampaign, toCampaignStats, toLogStatusFilter, toRecipientLog, toUpstreamStatuses } from './mapping.js';
import { AttributedLoader, eachAsCaller } from '../attributedLoader.js';
import { mappedOnce } from '../mappedOnce.js';
import { MIGMA_LIST_MAX_LIMIT, MIGMA_LOG_MAX_LIMIT, type MigmaCampaign, type MigmaLogPage, type MigmaLogStatusFilter } from './wire.js';

interface LogPageKey {
  campaignId: string;
  cursor: string | null;
  limit: number;
  status: MigmaLogStatusFilter | null;
}

/** Migma for one request: loaders, the campaign list's page/limit translation and the logs' cursor translation. */
export class MigmaSession implements ProviderSession, CampaignLister, RecipientLogSource {
  readonly provider = 'MIGMA' as const;
  readonly campaignList: CampaignLister = this;
  readonly recipientLogs: RecipientLogSource = this;
  readonly recipientLogPositions = RECIPIENT_LOG_POSITIONS;

  /** `GET /v1/campaigns/{id}`, one per distinct id per request; primed by lists and by log parents. */
  private readonly campaignLoader: AttributedLoader<string, CampaignModel | null>;
  /** `GET /v1/campaigns/{id}/stats`, one per distinct campaign per request. */
  private readonly campaignStatsLoader: AttributedLoader<string, CampaignStatsModel | null>;
  /** `GET /v1/campaigns/{id}/logs` pages, deduplicated when a query asks for the same window twice. */
  private readonly logPageLoader: AttributedLoader<LogPageKey, MigmaLogPage | null, string>;
  /** Campaigns made by {@link campaignReference}: never primed as the answer of a lookup. */
  private readonly references = new WeakSet<CampaignModel>();

  constructor(
    private readonly client: MigmaClient,
    private readonly projectId: string | null,
    private readonly scope: RequestScope,
  ) {
    // One call per key, each as the field that asked for it (a stale answer is reported there).
    this.campaignLoader = new AttributedLoader(
      eachAsCaller((id) => this.client.getCampaign(id, scope.signal).then((wire) => (wire ? mappedOnce(wire, toCampaign) : null))),
      { name: 'migmaCampaignLoader' },
    );
    this.campaignStatsLoader = new AttributedLoader(
      eachAsCaller((id) => this.client.getCampaignStats(id, scope.signal).then((s) => (s ? mappedOnce(s, toCampaignStats) : null))),
      { name: 'migmaCampaignStatsLoader' },
    );
    this.logPageLoader = new AttributedLoader(
      eachAsCaller((key) => this.client.getCampaignLogs(key.campaignId, { limit: key.limit, cursor: key.cursor, status: key.status }, scope.signal)),
      { name: 'migmaLogPageLoader', cacheKeyFn: (key) => JSON.stringify([key.campaignId, key.cursor, key.limit, key.status]) },
    );
  }

  campaign(providerId: string): Promise<CampaignModel | null> {
    return this.campaignLoader.load(providerId);
  }

  /** The logs route answers 404 for an unknown campaign (docs), so a logs read proves this one. */
  campaignReference(providerId: string): CampaignModel {
    const reference: CampaignModel = {
      provider: 'MIGMA',
      providerId,
      name: null,
      subject: null,
      status: 'UNKNOWN',
      providerStatus: null,
      scheduledAt: null,
      sentAt: null,
      createdAt: null,
      totalRecipients: null,
    };
    this.references.add(reference);
    return reference;
  }

  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null> {
    return this.campaignStatsLoader.load(campaign.providerId);
  }

  async listCampaigns(query: CampaignListQuery): Promise<CampaignListPage> {
    const projectId = this.projectId;
    // The registry leaves Migma out of listings without a project id (listingUnavailable).
    if (!projectId) return { entries: [], total: 0, hasMore: false };
    return listPagedCampaigns(query, {
      maxLimit: MIGMA_LIST_MAX_LIMIT,
      upstreamStatuses: toUpstreamStatuses,
      fetchPage: async (page, limit, status) => {
        const list = await this.client.listCampaigns({ projectId, page, limit, status }, this.scope.signal);
        return { items: list.campaigns, total: list.total };
      },
      toCampaign: (item) => this.remember(item),
    });
  }

  /**
   * Up to `count` log rows of a campaign from a position, newest first; null when Migma does not
   * have the campaign. Pages are read one after another (each needs the previous nextCursor), each
   * asking for the rows still wanted plus those to skip, at most 100: `count` 250 costs three calls.
   * Assumes a cursor starts at the same row whatever `limit` comes with it (guess: docs say opaque).
   * The position after each row is worked out from the pages read only when a cursor asks for it:
   * a row costs its one log object, nothing more.
   */
  async readRecipientLogs(campaign: CampaignModel, query: RecipientLogQuery): Promise<RecipientLogPage | null> {
    // RecipientLog.campaign then resolves the parent without a call (a reference has no record to give).
    if (!this.references.has(campaign)) this.campaignLoader.prime(campaign.providerId, campaign);
    const logs: RecipientLogModel[] = [];
    const reads: PageRead[] = [];
    const done = (hasMore: boolean): RecipientLogPage => ({ logs, hasMore, positionAfter: (index) => positionAfter(reads, index) });
    if (query.from === 'end') return done(false);
    const status = query.status ? toLogStatusFilter(query.status) : null;
    let position = query.from;
    for (;;) {
      const limit = Math.min(MIGMA_LOG_MAX_LIMIT, position.skip + Math.max(query.count - logs.length, 1));
      const page = await this.logPageLoader.load({ campaignId: campaign.providerId, cursor: position.page, limit, status });
      if (!page) {
        if (logs.length === 0 && position.page === null) return null;
        // The campaign went away mid-walk: what was read stands, nothing follows.
        return done(false);
      }
      const rows = page.emails;
      reads.push({ first: logs.length, cursor: position.page, skip: position.skip, page });
      const end = Math.min(rows.length, position.skip + query.count - logs.length);
      for (let i = position.skip; i < end; i++) logs.push(toRecipientLog(rows[i]!, campaign.providerId));
      if (end < rows.length) return done(true);
      if (!page.hasMore) return done(false);
      if (logs.length === query.count) return done(true);
      if (rows.length === 0 || page.nextCursor === position.page) {
        // Following it could loop for ever.
        throw new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'MIGMA', 'MIGMA answered a logs page that says hasMore but cannot advance', {
          upstreamStatus: 200,
        });
      }
      position = { page: page.nextCursor, skip: 0 };
    }
  }

  /** Primes the campaign loader with a list item, so a later lookup of it costs no call. */
  private remember(item: MigmaCampaign): CampaignModel {
    const campaign = mappedOnce(item, toCampaign);
    this.campaignLoader.prime(item.id, campaign);
    return campaign;
  }
}

/** One upstream page of a walk: where its rows start in the walk's logs, and where in the page. */
interface PageRead {
  first: number;
  cursor: string | null;
  skip: number;
  page: MigmaLogPage;
}

/** The position right after the walk's row `index`: the next row of its page, the next page, or the end. */
function positionAfter(reads: readonly PageRead[], index: number): RecipientLogPosition {
  let read = reads[0]!;
  for (const candidate of reads) if (candidate.first <= index) read = candidate;
  const row = read.skip + index - read.first;
  if (row < read.page.emails.length - 1) return { page: read.cursor, skip: row + 1 };
  return read.page.hasMore ? { page: read.page.nextCursor, skip: 0 } : 'end';
}

/** Cursor JSON of a log position: `[page, skip]`, or 0 once the walk has returned the last row. */
const RECIPIENT_LOG_POSITIONS: PositionCodec<RecipientLogPosition> = {
  write: (position) => (position === 'end' ? 0 : [position.page, position.skip]),
  read(value) {
    if (value === 0) return 'end';
    if (Array.isArray(value) && value.length === 2 && (value[0] === null || typeof value[0] === 'string') && Number.isInteger(value[1]) && value[1] >= 0) {
      return { page: value[0], skip: value[1] };
    }
    return null;
  },
};
