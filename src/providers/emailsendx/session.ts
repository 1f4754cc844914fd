import DataLoader from 'dataloader';
import type { CampaignModel, CampaignStatsModel, CampaignStatus } from '../../domain/campaign.js';
import { readOffsetWindow, scanOffsetList } from '../../relay/offsetWindow.js';
import type { CampaignListPage, CampaignListQuery, CampaignSource, RequestScope } from '../provider.js';
import type { EmailSendXClient } from './client.js';
import { toCampaign, toCampaignStats, toUpstreamStatus } from './mapping.js';
import { ESX_MAX_LIMIT, type EsxCampaign } from './wire.js';

/** EmailSendX for one request: loaders and the translation of our windows to page/limit. */
export class EmailSendXSession implements CampaignSource {
  readonly provider = 'EMAILSENDX' as const;

  /** `?id=` calls, one per distinct id per request (EmailSendX has no batch lookup). */
  private readonly campaignLoader: DataLoader<string, EsxCampaign | null>;
  /** Stats by campaign id: primed from list items that carry stats, else read through `?id=`. */
  private readonly campaignStatsLoader: DataLoader<string, CampaignStatsModel | null>;

  constructor(
    private readonly client: EmailSendXClient,
    private readonly scope: RequestScope,
  ) {
    this.campaignLoader = new DataLoader(
      (ids) => Promise.all(ids.map((id) => this.client.getCampaign(id, scope.signal).catch((error: Error) => error))),
      { name: 'emailSendXCampaignLoader' },
    );
    this.campaignStatsLoader = new DataLoader(
      async (ids) => {
        const campaigns = await this.campaignLoader.loadMany(ids);
        return campaigns.map((c) => (c instanceof Error ? c : c?.stats ? toCampaignStats(c.stats) : null));
      },
      { name: 'emailSendXCampaignStatsLoader' },
    );
  }

  async campaign(providerId: string): Promise<CampaignModel | null> {
    const wire = await this.campaignLoader.load(providerId);
    return wire ? toCampaign(wire) : null;
  }

  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null> {
    return this.campaignStatsLoader.load(campaign.providerId);
  }

  async listCampaigns(query: CampaignListQuery): Promise<CampaignListPage> {
    const filter = upstreamFilter(query.statuses);
    if (filter.kind === 'none') return { entries: [], total: 0, hasMore: false };
    const fetchPage = async (page: number, limit: number) => {
      const response = await this.client.listCampaigns(
        { page, limit, status: filter.kind === 'upstream' ? filter.status : null },
        this.scope.signal,
      );
      const total = response.pagination.total;
      return { items: response.data, total: Number.isFinite(total) ? total : null };
    };

    if (filter.kind === 'scan') {
      const wanted = new Set(filter.statuses);
      const scan = await scanOffsetList(query.position, query.count, ESX_MAX_LIMIT, fetchPage, (item) =>
        wanted.has(toCampaign(item).status),
      );
      return {
        entries: scan.entries.map(({ item, next }) => ({ campaign: this.remember(item), next })),
        total: null,
        hasMore: scan.hasMore,
      };
    }
    const window = await readOffsetWindow(query.position, query.count, ESX_MAX_LIMIT, fetchPage);
    return {
      entries: window.items.map((item, i) => ({ campaign: this.remember(item), next: query.position + i + 1 })),
      total: window.total,
      hasMore: window.hasMore,
    };
  }

  /**
   * Primes the loaders with what a list item already carries, so later fields cost no call. An
   * item with a `stats` key is complete (null stats: none yet, e.g. a draft); without the key, the
   * stats come from `?id=` when asked for.
   */
  private remember(item: EsxCampaign): CampaignModel {
    if ('stats' in item && item.stats !== undefined) {
      this.campaignLoader.prime(item.id, item);
      this.campaignStatsLoader.prime(item.id, item.stats ? toCampaignStats(item.stats) : null);
    }
    return toCampaign(item);
  }
}

type UpstreamFilter =
  | { kind: 'all' }
  | { kind: 'upstream'; status: string }
  | { kind: 'scan'; statuses: CampaignStatus[] }
  | { kind: 'none' };

/**
 * One status EmailSendX knows is filtered upstream; several (or UNKNOWN, which no upstream value
 * names) are filtered here over the unfiltered list; statuses EmailSendX never has match nothing.
 */
function upstreamFilter(statuses: readonly CampaignStatus[] | null): UpstreamFilter {
  if (!statuses) return { kind: 'all' };
  const known = statuses.filter((s) => s === 'UNKNOWN' || toUpstreamStatus(s) !== null);
  if (known.length === 0) return { kind: 'none' };
  if (known.length === 1 && known[0] !== 'UNKNOWN') return { kind: 'upstream', status: toUpstreamStatus(known[0]!)! };
  return { kind: 'scan', statuses: known };
}
