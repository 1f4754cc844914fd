import type { CampaignModel, CampaignStatus } from '../../domain/campaign.js';
import { readOffsetWindow, scanOffsetList, type OffsetPage } from './offsetWindow.js';
import type { CampaignListPage, CampaignListQuery } from '../provider.js';

/** How a provider's page/limit campaign list is read (EmailSendX, Migma). */
export interface PagedCampaignListing<W> {
  /** Largest `limit` the API accepts. */
  maxLimit: number;
  /** The API's status values that mean a CampaignStatus; empty when the API has none. */
  upstreamStatuses(status: CampaignStatus): string[];
  /** One page of the list, filtered upstream by `status` when given. */
  fetchPage(page: number, limit: number, status: string | null): Promise<OffsetPage<W>>;
  /** Maps an item (and primes the session's loaders with it). */
  toCampaign(item: W): CampaignModel;
}

/**
 * A window of a page/limit campaign list. A filter that is exactly one upstream value is sent
 * upstream; several values (or UNKNOWN, which no value names) are applied here while scanning
 * the unfiltered list, with positions kept in that list so cursors stay exact; statuses the
 * provider never has match nothing without a call.
 */
export async function listPagedCampaigns<W>(query: CampaignListQuery, listing: PagedCampaignListing<W>): Promise<CampaignListPage> {
  const statuses = query.statuses;
  const known = statuses?.filter((s) => s === 'UNKNOWN' || listing.upstreamStatuses(s).length > 0) ?? null;
  if (known && known.length === 0) return { entries: [], total: 0, hasMore: false };
  const values = known?.flatMap((s) => listing.upstreamStatuses(s)) ?? [];
  const upstream = known?.length === 1 && values.length === 1 ? values[0]! : null;

  if (known && upstream === null) {
    const campaigns = new Map<W, CampaignModel>();
    const wanted = new Set(known);
    const scan = await scanOffsetList(
      query.position,
      query.count,
      listing.maxLimit,
      (page, limit) => listing.fetchPage(page, limit, null),
      (item) => {
        const campaign = listing.toCampaign(item);
        campaigns.set(item, campaign);
        return wanted.has(campaign.status);
      },
    );
    return {
      entries: scan.entries.map(({ item, next }) => ({ campaign: campaigns.get(item)!, next })),
      total: null,
      hasMore: scan.hasMore,
    };
  }
  const window = await readOffsetWindow(query.position, query.count, listing.maxLimit, (page, limit) =>
    listing.fetchPage(page, limit, upstream),
  );
  return {
    entries: window.items.map((item, i) => ({ campaign: listing.toCampaign(item), next: query.position + i + 1 })),
    total: window.total,
    hasMore: window.hasMore,
  };
}
