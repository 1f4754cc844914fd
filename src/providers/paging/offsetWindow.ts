/**
 * Reading a window [offset, offset + count) of a list that an upstream API serves in numbered
 * pages (`page` from 1, `limit` up to a maximum), with as few upstream calls as possible.
 */

export interface PagePlan {
  /** The `limit` to send with every page. */
  limit: number;
  /** The 1-based page numbers to fetch. */
  pages: number[];
}

/**
 * Picks the page size (at most `maxLimit`) that covers [offset, offset + count) in the fewest
 * pages, and among those the smallest (least data moved). `count` 0 still reads one row, so the
 * caller learns the total and whether anything follows.
 */
export function planOffsetPages(offset: number, count: number, maxLimit: number): PagePlan {
  const want = Math.max(count, 1);
  let best: PagePlan | undefined;
  for (let limit = Math.min(want, maxLimit); limit <= maxLimit; limit++) {
    const firstPage = Math.floor(offset / limit) + 1;
    const lastPage = Math.floor((offset + want - 1) / limit) + 1;
    const pageCount = lastPage - firstPage + 1;
    if (!best || pageCount < best.pages.length) {
      best = { limit, pages: Array.from({ length: pageCount }, (_, i) => firstPage + i) };
      if (pageCount === 1) break;
    }
  }
  return best!;
}

export interface OffsetPage<T> {
  items: T[];
  /** Total number of items in the list, when the API says. */
  total: number | null;
}

export interface OffsetWindow<T> {
  /** At most `count` items starting at `offset`. */
  items: T[];
  total: number | null;
  /** True when items exist after the window. */
  hasMore: boolean;
}

/**
 * Fetches [offset, offset + count) through `fetchPage`, pages of one window in parallel.
 * When the API gives no total, a short page marks the end.
 */
export async function readOffsetWindow<T>(
  offset: number,
  count: number,
  maxLimit: number,
  fetchPage: (page: number, limit: number) => Promise<OffsetPage<T>>,
): Promise<OffsetWindow<T>> {
  const plan = planOffsetPages(offset, count, maxLimit);
  const results = await Promise.all(plan.pages.map((page) => fetchPage(page, plan.limit)));
  const start = (plan.pages[0]! - 1) * plan.limit;
  const all: T[] = [];
  let total: number | null = null;
  let shortPage = false;
  for (const result of results) {
    if (result.total != null) total = result.total;
    if (shortPage) break;
    all.push(...result.items);
    if (result.items.length < plan.limit) shortPage = true;
  }
  const items = all.slice(offset - start, offset - start + count);
  const end = offset + items.length;
  const hasMore = total != null ? end < total : !shortPage || all.length > offset - start + count;
  return { items, total, hasMore };
}

export interface ScanResult<T> {
  /** Matching items with the position right after each (where a cursor resumes). */
  entries: Array<{ item: T; next: number }>;
  hasMore: boolean;
}

/**
 * Reads a page-numbered list from `position`, keeping only items that pass `keep`, until `count`
 * matches are found or the list ends. For filters the API cannot apply itself; positions stay in
 * the unfiltered list, so cursors remain exact. Pages are read one after another (each read tells
 * whether another is needed), `pageSize` at a time.
 */
export async function scanOffsetList<T>(
  position: number,
  count: number,
  pageSize: number,
  fetchPage: (page: number, limit: number) => Promise<OffsetPage<T>>,
  keep: (item: T) => boolean,
): Promise<ScanResult<T>> {
  const entries: Array<{ item: T; next: number }> = [];
  let page = Math.floor(position / pageSize) + 1;
  let total: number | null = null;
  for (;;) {
    const result = await fetchPage(page, pageSize);
    if (result.total != null) total = result.total;
    const start = (page - 1) * pageSize;
    for (let i = 0; i < result.items.length; i++) {
      const index = start + i;
      if (index < position || !keep(result.items[i]!)) continue;
      entries.push({ item: result.items[i]!, next: index + 1 });
      if (entries.length === Math.max(count, 1)) {
        const last = count === 0 ? position : index + 1;
        const end = total ?? (result.items.length < pageSize ? start + result.items.length : Infinity);
        return { entries: count === 0 ? [] : entries, hasMore: last < end };
      }
    }
    const end = start + result.items.length;
    if (result.items.length < pageSize || (total != null && end >= total)) {
      return { entries, hasMore: false };
    }
    page++;
  }
}

/** How many pages of at most `pageSize` cover `count` items (at least one: an empty window still asks once). */
export function pagesOf(count: number, pageSize: number): number {
  return Math.max(1, Math.ceil(count / pageSize));
}
