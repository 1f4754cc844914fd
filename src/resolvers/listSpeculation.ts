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
  private readonly sizes = new Map<string, number>();

  remember(provider: ProviderName, statuses: readonly CampaignStatus[] | null, page: CampaignListPage): void {
    if (page.total === null) return;
    const key = keyOf(provider, statuses);
    if (!this.sizes.has(key) && this.sizes.size >= MAX_REMEMBERED) this.sizes.delete(this.sizes.keys().next().value!);
    this.sizes.set(key, page.total);
  }

  size(provider: ProviderName, statuses: readonly CampaignStatus[] | null): number | undefined {
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
 * before it hold what they held last time. Stops at the first provider whose size is unknown.
 * A read nobody awaits never becomes an unhandled rejection.
 */
export function readAhead(
  plan: ReadonlyArray<readonly [ProviderName, number]>,
  first: number,
  statuses: readonly CampaignStatus[] | null,
  sizes: ListSizes,
  read: (provider: ProviderName, query: CampaignListQuery) => Promise<CampaignListPage>,
): Map<ProviderName, AheadRead> {
  const ahead = new Map<ProviderName, AheadRead>();
  let before = 0;
  for (let i = 0; i < plan.length; i++) {
    const [provider, position] = plan[i]!;
    if (i > 0) {
      const query: CampaignListQuery = { position, count: first - before, statuses };
      const page = read(provider, query);
      page.catch(() => undefined);
      ahead.set(provider, { query, page });
    }
    const size = sizes.size(provider, statuses);
    if (size === undefined) break;
    before += Math.max(0, size - position);
    if (before >= first) break;
  }
  return ahead;
}
