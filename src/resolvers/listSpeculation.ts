import type { CampaignStatus, ProviderName } from '../domain/campaign.js';
import type { CampaignListPage, CampaignListQuery } from '../providers/provider.js';

/** At most this many (provider, statuses) sizes are remembered per gateway. */
const MAX_REMEMBERED = 512;

/**
 * How long each provider's campaign list was when last read (per status filter), so a page of
 * `campaigns` that will run past one provider's list into the next asks them all at once: a
 * cross-provider page costs one round trip, not one per provider. Only a hint: a read started on
 * a wrong guess is not used (the walk asks again with the right count), so answers are exactly
 * those of the walk one provider after another.
 */
export class ListSizes {
  /** A size, or null for a provider whose list was read and gave no total (it cannot say). */
  private readonly sizes = new Map<string, number | null>();

  remember(provider: ProviderName, statuses: readonly CampaignStatus[] | null, page: CampaignListPage): void {
    const key = keyOf(provider, statuses);
    if (!this.sizes.has(key) && this.sizes.size >= MAX_REMEMBERED) this.sizes.delete(this.sizes.keys().next().value!);
    this.sizes.set(key, page.total);
  }

  /** The size last read; null when the provider gave no total; undefined when its list was never read. */
  size(provider: ProviderName, statuses: readonly CampaignStatus[] | null): number | null | undefined {
    return this.sizes.get(keyOf(provider, statuses));
  }
}

function keyOf(provider: ProviderName, statuses: readonly CampaignStatus[] | null): string {
  return statuses ? `${provider}:${[...statuses].sort().join(',')}` : provider;
}

/** A read started ahead of the walk, for the query it was started with. */
export interface AheadRead {
  query: CampaignListQuery;
  page: Promise<CampaignListPage>;
}

/**
 * Starts the reads of the providers after the first that a page of `first` campaigns is expected
 * to reach, by the remembered sizes: each asked for what the walk would ask it if the providers
 * before it hold what they held last time. A provider never read yet (after start-up) counts as
 * holding nothing, so the ones after it are asked for as many as the walk could want of them (one
 * round trip for the first page too; a read the page does not reach costs a call, once: its size
 * is remembered like any other). Such a blind read is started only when it costs no more calls
 * than the smallest read of that provider (`calls`: its cost model): a page of 500 after start-up
 * would otherwise spend several paged calls of a provider the page may never reach, per new
 * status filter; then the walk asks it in turn, once, and its size is known from then on. Stops
 * at a provider that gives no total: guessing past it every time would cost calls every time. A
 * read nobody awaits never becomes an unhandled rejection.
 */
export function readAhead(
  plan: ReadonlyArray<readonly [ProviderName, number]>,
  first: number,
  statuses: readonly CampaignStatus[] | null,
  sizes: ListSizes,
  read: (provider: ProviderName, query: CampaignListQuery) => Promise<CampaignListPage>,
  calls: (provider: ProviderName, count: number) => number,
): Map<ProviderName, AheadRead> {
  const ahead = new Map<ProviderName, AheadRead>();
  let before = 0;
  let blind = false;
  for (let i = 0; i < plan.length; i++) {
    const [provider, position] = plan[i]!;
    if (i > 0) {
      const count = first - before;
      if (blind && calls(provider, count) > calls(provider, 1)) break;
      const query: CampaignListQuery = { position, count, statuses };
      const page = read(provider, query);
      page.then((answer) => sizes.remember(provider, statuses, answer)).catch(() => undefined);
      ahead.set(provider, { query, page });
    }
    const size = sizes.size(provider, statuses);
    if (size === null) break;
    if (size === undefined) blind = true;
    before += Math.max(0, (size ?? 0) - position);
    if (before >= first) break;
  }
  return ahead;
}

/**
 * The page the walk asks for (`query`) out of a read started ahead, or null when that read cannot
 * answer it: only a read from the same position that asked for at least as many. The first
 * `count` campaigns from a position are the same whatever count is asked, so a larger read's first
 * ones, with "more" when it holds more than those, are what the walk's own read would answer.
 */
export function servedAhead(early: AheadRead | undefined, query: CampaignListQuery): Promise<CampaignListPage> | null {
  if (!early || early.query.position !== query.position || early.query.count < query.count) return null;
  if (early.query.count === query.count) return early.page;
  return early.page.then((page) =>
    page.entries.length <= query.count ? page : { ...page, entries: page.entries.slice(0, query.count), hasMore: true },
  );
}
