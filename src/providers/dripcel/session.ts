import { asCaller, joinCaller, sharedBy, type CallContext } from '../../http/callLedger.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import type { CampaignModel, CampaignStatsModel } from '../../domain/campaign.js';
import type { SendLogModel, SendLogSearch, SendLogWindow } from '../../domain/sendLog.js';
import type { CampaignLister, CampaignListPage, CampaignListQuery, PositionCodec, ProviderSession, RequestScope, SendLogSource } from '../provider.js';
import type { DripcelClient } from './client.js';
import { toCampaign, toDerivedStats, toFind, toSendLog } from './mapping.js';
import { AttributedLoader, eachAsCaller } from '../attributedLoader.js';
import { mappedOnce } from '../mappedOnce.js';
import { DRIPCEL_SEARCH_PAGE, type DripcelCampaign, type DripcelSearchRequest, type DripcelSearchResult } from './wire.js';

/** Rows of one campaign's send logs from `skip`: `count` of them, or `'all'` (derived stats). */
interface CampaignLogsKey {
  campaignId: string;
  skip: number;
  count: number | 'all';
}

type Find = DripcelSearchRequest['find'];

/**
 * Dripcel for one request. Upstream calls are precious (about 50 a minute per organisation,
 * docs), so every read goes through a loader: one search serves the send logs and derived
 * stats of every campaign a query touches, single logs and campaigns are read once, and the
 * campaign list once.
 */
export class DripcelSession implements ProviderSession, CampaignLister, SendLogSource {
  readonly provider = 'DRIPCEL' as const;
  readonly campaignList: CampaignLister = this;
  readonly sendLogs: SendLogSource = this;
  readonly sendLogPositions = SEND_LOG_POSITIONS;

  /** Campaign.sendLogs and Campaign.stats of every campaign in a query: one batched search. */
  private readonly campaignLogsLoader: AttributedLoader<CampaignLogsKey, SendLogWindow, string>;
  /** How many send logs a campaign has, for `totalCount` when the batch could not tell. */
  private readonly campaignLogTotalLoader: AttributedLoader<string, number | null>;
  /** Query.sendLogs windows, deduplicated by their exact search. */
  private readonly searchLoader: AttributedLoader<string, SendLogWindow>;
  /** `GET /send-logs/:send_id` in the default count form; primed with every row a search returns. */
  private readonly sendLogLoader: AttributedLoader<string, SendLogModel | null>;
  /** `GET /send-logs/:send_id?group_destinations=list`, only for logs whose `destinations` a query selects. */
  private readonly destinationsLoader: AttributedLoader<string, string[] | null>;
  /** `GET /campaigns`, at most once per request (the whole list in one answer: a guess, docs/providers/dripcel.md). */
  private readonly campaignListLoader: AttributedLoader<'all', DripcelCampaign[]>;
  /** Campaigns by id: primed from the list; several unknown ids at once read the list instead. */
  private readonly campaignLoader: AttributedLoader<string, DripcelCampaign | null>;
  private campaignListRequested = false;

  constructor(
    private readonly client: DripcelClient,
    private readonly scope: RequestScope,
  ) {
    // Calls made for one key run as the field that asked for it; a call serving several keys
    // (the batched search, the list) as all of theirs, so a stale answer is reported at each.
    this.campaignLogsLoader = new AttributedLoader((keys, callers) => this.loadCampaignLogs(keys, callers), {
      name: 'dripcelCampaignLogsLoader',
      cacheKeyFn: (key) => `${key.campaignId}\u0000${key.skip}\u0000${key.count}`,
    });
    this.campaignLogTotalLoader = new AttributedLoader(
      eachAsCaller((id) => this.search({ campaign_id: [id] }, 0, 1).then((page) => page.total)),
      { name: 'dripcelCampaignLogTotalLoader' },
    );
    this.searchLoader = new AttributedLoader(
      eachAsCaller((key) => {
        const { find, skip, count } = JSON.parse(key) as { find: Find; skip: number; count: number };
        return this.readWindow(find, skip, count);
      }),
      { name: 'dripcelSearchLoader' },
    );
    this.sendLogLoader = new AttributedLoader(
      eachAsCaller((id) => this.client.getSendLog(id, 'count', scope.signal).then((wire) => (wire ? mappedOnce(wire, toSendLog) : null))),
      { name: 'dripcelSendLogLoader' },
    );
    this.destinationsLoader = new AttributedLoader(
      eachAsCaller((id) => this.client.getSendLog(id, 'list', scope.signal).then((wire) => (wire ? toSendLog(wire).destinations : null))),
      { name: 'dripcelDestinationsLoader' },
    );
    this.campaignListLoader = new AttributedLoader(
      async () => {
        const list = await this.client.listCampaigns(scope.signal);
        for (const campaign of list) this.campaignLoader.prime(campaign._id, campaign);
        return [list];
      },
      { name: 'dripcelCampaignListLoader' },
    );
    this.campaignLoader = new AttributedLoader((ids, callers) => this.loadCampaigns(ids, callers), { name: 'dripcelCampaignLoader' });
  }

  async campaign(providerId: string): Promise<CampaignModel | null> {
    if (!isObjectId(providerId)) return null;
    const wire = await this.campaignLoader.load(providerId);
    return wire ? mappedOnce(wire, toCampaign) : null;
  }

  /** Derived from every send log of the campaign, through the same batched search as Campaign.sendLogs. */
  async campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null> {
    const window = await this.campaignLogsLoader.load({ campaignId: campaign.providerId, skip: 0, count: 'all' });
    return toDerivedStats(window.logs);
  }

  /** The whole list is read once and windows are served from it (position = index in the list). */
  async listCampaigns(query: CampaignListQuery): Promise<CampaignListPage> {
    this.campaignListRequested = true;
    const list = mappedOnce(await this.campaignListLoader.load('all'), toCampaigns);
    const wanted = query.statuses ? new Set(query.statuses) : null;
    const matches = (c: CampaignModel) => !wanted || wanted.has(c.status);
    const entries: CampaignListPage['entries'] = [];
    let index = query.position;
    for (; index < list.length && entries.length < query.count; index++) {
      if (matches(list[index]!)) entries.push({ campaign: list[index]!, next: index + 1 });
    }
    return {
      entries,
      total: list.filter(matches).length,
      hasMore: list.slice(index).some(matches),
    };
  }

  /** `count` send logs of one campaign from position `skip`, newest first. */
  campaignSendLogs(campaignId: string, skip: number, count: number): Promise<SendLogWindow> {
    return this.campaignLogsLoader.load({ campaignId, skip, count });
  }

  /** How many send logs a campaign has (one extra search when no earlier read told). */
  campaignSendLogTotal(campaignId: string): Promise<number | null> {
    return this.campaignLogTotalLoader.load(campaignId);
  }

  /** Query.sendLogs: `count` logs matching `search` from position `skip`, in Dripcel's order. */
  async searchSendLogs(search: SendLogSearch, skip: number, count: number): Promise<SendLogWindow> {
    // An id that is no ObjectId names no campaign (and could make Dripcel answer 400).
    const campaignIds = search.campaignIds?.filter(isObjectId) ?? null;
    if (campaignIds?.length === 0) return { logs: [], hasMore: false, total: 0 };
    return this.searchLoader.load(JSON.stringify({ find: toFind({ ...search, campaignIds }), skip, count }));
  }

  /** One send log by its id; null when Dripcel does not have it. */
  async sendLog(providerId: string): Promise<SendLogModel | null> {
    if (!isObjectId(providerId)) return null;
    return this.sendLogLoader.load(providerId);
  }

  /** The cell numbers of a send log: one `group_destinations=list` call per distinct log, only when asked. */
  async sendLogDestinations(log: SendLogModel): Promise<string[] | null> {
    return log.destinations ?? this.destinationsLoader.load(log.providerId);
  }

  /**
   * The batch behind Campaign.sendLogs and Campaign.stats. Every first-page and all-rows request of
   * the batch shares ONE search naming all their campaigns; `total` is the size of that whole find,
   * so every campaign is complete when the answer holds `total` rows. When it does not, a campaign
   * is still served if the answer holds the rows it needs plus one (hasNextPage); otherwise it gets
   * a search of its own. Later pages (`skip` > 0) search their own window directly.
   */
  private async loadCampaignLogs(keys: readonly CampaignLogsKey[], callers: ReadonlyArray<CallContext | undefined>): Promise<Array<SendLogWindow | Error>> {
    const need = new Map<string, number>();
    const firstPageCallers: Array<CallContext | undefined> = [];
    keys.forEach((key, i) => {
      if (key.skip !== 0) return;
      need.set(key.campaignId, Math.max(need.get(key.campaignId) ?? 0, key.count === 'all' ? 0 : key.count + 1));
      firstPageCallers.push(callers[i]);
    });
    // The one search serves every first-page key: its staleness is each of their fields'.
    const batch = need.size > 0 ? await asCaller(sharedBy(firstPageCallers), () => this.searchBatch(need)) : null;

    // Follow-ups: one all-rows read per campaign that needs it serves its windows too, made for
    // every key it serves (each joins it as it comes).
    const allRows = new Map<string, { rows: Promise<SendLogModel[]>; caller: CallContext | undefined }>();
    const readAllOnce = (campaignId: string, caller: CallContext | undefined) => {
      const read = allRows.get(campaignId);
      if (read) {
        joinCaller(read.caller, caller);
        return read.rows;
      }
      const shared = sharedBy([caller]);
      const rows = asCaller(shared, () => this.readAll({ campaign_id: [campaignId] }));
      allRows.set(campaignId, { rows, caller: shared });
      return rows;
    };
    if (batch && !(batch instanceof Error) && !batch.complete) {
      keys.forEach((key, i) => {
        if (key.skip === 0 && key.count === 'all') void readAllOnce(key.campaignId, callers[i]).catch(() => undefined);
      });
    }

    return Promise.all(
      keys.map((key, i) =>
        asCaller(callers[i], async (): Promise<SendLogWindow | Error> => {
          try {
            if (key.skip === 0 && batch instanceof Error) return batch;
            const rows = key.skip === 0 && batch && !(batch instanceof Error) ? batch.rows.get(key.campaignId)! : null;
            if (rows && batch && !(batch instanceof Error)) {
              if (batch.complete) {
                this.campaignLogTotalLoader.prime(key.campaignId, rows.length);
                return sliceWindow(rows, key.count);
              }
              if (key.count !== 'all' && rows.length > key.count) {
                return { logs: rows.slice(0, key.count), hasMore: true, total: null };
              }
            }
            if (key.count === 'all' || allRows.has(key.campaignId)) {
              const all = await readAllOnce(key.campaignId, callers[i]);
              this.campaignLogTotalLoader.prime(key.campaignId, all.length);
              return sliceWindow(all.slice(key.skip), key.count, all.length);
            }
            const window = await this.readWindow({ campaign_id: [key.campaignId] }, key.skip, key.count);
            if (window.total !== null) this.campaignLogTotalLoader.prime(key.campaignId, window.total);
            return window;
          } catch (error) {
            return error as Error;
          }
        }),
      ),
    );
  }

  /**
   * ONE search naming every campaign of the batch, with room for each campaign's rows plus one
   * (at least Dripcel's default page); rows are split by campaign_id.
   */
  private async searchBatch(need: Map<string, number>): Promise<{ rows: Map<string, SendLogModel[]>; complete: boolean } | Error> {
    const limit = Math.max(DRIPCEL_SEARCH_PAGE, [...need.values()].reduce((a, b) => a + b, 0));
    try {
      const page = await this.search({ campaign_id: [...need.keys()] }, 0, limit);
      const rows = new Map<string, SendLogModel[]>([...need.keys()].map((id) => [id, []]));
      for (const log of page.logs) if (log.campaignId) rows.get(log.campaignId)?.push(log);
      const complete = page.total !== null ? page.logs.length >= page.total : page.logs.length < limit;
      return { rows, complete };
    } catch (error) {
      return error as Error;
    }
  }

  /** `count` rows from `skip`, asking again where Dripcel returns fewer than asked for (no maximum is documented). */
  private async readWindow(find: Find, skip: number, count: number): Promise<SendLogWindow> {
    const want = Math.max(count, 1); // limit 0 may mean "no limit" to Dripcel: ask for one row and drop it
    const logs: SendLogModel[] = [];
    let total: number | null = null;
    let lastPageFull = false;
    while (logs.length < want) {
      const limit = want - logs.length;
      const page = await this.search(find, skip + logs.length, limit);
      total = page.total ?? total;
      logs.push(...page.logs);
      lastPageFull = page.logs.length === limit;
      if (page.logs.length === 0 || (total !== null ? skip + logs.length >= total : !lastPageFull)) break;
    }
    return {
      logs: logs.slice(0, count),
      hasMore: total !== null ? skip + count < total : lastPageFull || logs.length > count,
      total,
    };
  }

  /** Every row of a find, a page of Dripcel's default size at a time. */
  private async readAll(find: Find): Promise<SendLogModel[]> {
    const logs: SendLogModel[] = [];
    for (;;) {
      const page = await this.search(find, logs.length, DRIPCEL_SEARCH_PAGE);
      logs.push(...page.logs);
      if (page.logs.length === 0 || (page.total !== null ? logs.length >= page.total : page.logs.length < DRIPCEL_SEARCH_PAGE)) {
        return logs;
      }
    }
  }

  /** One `POST /send-logs/search`; its rows prime the single-log loader. */
  private async search(find: Find, skip: number, limit: number): Promise<{ logs: SendLogModel[]; total: number | null }> {
    const result = await this.client.searchSendLogs({ find, options: { skip, limit } }, this.scope.signal);
    const logs = mappedOnce(result, toSendLogs);
    for (const log of logs) this.sendLogLoader.prime(log.providerId, log);
    return { logs, total: result.total };
  }

  /**
   * Campaigns by id: one id is `GET /campaigns/:campaign_id`; several (or any once the list was
   * asked for) read the list once, and only ids missing from it are looked up one by one.
   */
  private async loadCampaigns(ids: readonly string[], callers: ReadonlyArray<CallContext | undefined>): Promise<Array<DripcelCampaign | null | Error>> {
    let listed: Map<string, DripcelCampaign> | null = null;
    if (ids.length > 1 || this.campaignListRequested) {
      try {
        this.campaignListRequested = true;
        listed = new Map((await this.campaignListLoader.load('all')).map((c) => [c._id, c]));
      } catch (error) {
        // The list body is a guess (docs/providers/dripcel.md): when it cannot be read, single lookups still can.
        if (!(error instanceof UpstreamFailure && error.code === 'UPSTREAM_BAD_RESPONSE')) return ids.map(() => error as Error);
      }
    }
    // The list was read as every id of the batch (it serves them all); a lookup as its own id's field.
    return Promise.all(
      ids.map(
        (id, i) =>
          listed?.get(id) ??
          asCaller(callers[i], () => this.client.getCampaign(id, this.scope.signal)).catch((error: Error) => error),
      ),
    );
  }
}

function sliceWindow(rows: SendLogModel[], count: number | 'all', total = rows.length): SendLogWindow {
  if (count === 'all') return { logs: rows, hasMore: false, total };
  return { logs: rows.slice(0, count), hasMore: rows.length > count, total };
}

/** Dripcel ids are 24-hex ObjectIds (docs/providers/dripcel.md); anything else cannot exist there. */
function isObjectId(id: string): boolean {
  return /^[0-9a-f]{24}$/i.test(id);
}

/** A send-log cursor's position: the offset in its list (Dripcel's `options.skip`). */
const SEND_LOG_POSITIONS: PositionCodec<number> = {
  write: (offset) => offset,
  read: (value) => (typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null),
};

const toCampaigns = (list: DripcelCampaign[]) => list.map(toCampaign);
const toSendLogs = (result: DripcelSearchResult) => result.send_logs.map(toSendLog);
