import { describe, expect, it as plainIt } from 'vitest';
import { it } from './support/fixtures.js';
import { ListSizes, readAhead, servedAhead } from '../src/resolvers/listSpeculation.js';
import type { CampaignListPage, CampaignListQuery } from '../src/providers/provider.js';
import type { ProviderName } from '../src/domain/campaign.js';

const page = (total: number | null): CampaignListPage => ({ entries: [], total, hasMore: false });

describe('readAhead (unit)', () => {
  const started = () => {
    const reads: Array<[ProviderName, CampaignListQuery]> = [];
    return { reads, read: (name: ProviderName, query: CampaignListQuery) => (reads.push([name, query]), Promise.resolve(page(0))) };
  };
  const plan: Array<[ProviderName, number]> = [['MIGMA', 0], ['DRIPCEL', 0], ['EMAILSENDX', 0]];
  /** Every read one call, whatever its size. */
  const oneCall = () => 1;

  plainIt('after start-up (no size known) asks every provider at once, each for the whole page, and remembers what they answer', async () => {
    const sizes = new ListSizes();
    const reads: Array<[ProviderName, CampaignListQuery]> = [];
    const ahead = readAhead(plan, 20, null, sizes, (name, query) => (reads.push([name, query]), Promise.resolve(page(name === 'DRIPCEL' ? 8 : 12))), oneCall);
    expect(reads).toEqual([
      ['DRIPCEL', { position: 0, count: 20, statuses: null }],
      ['EMAILSENDX', { position: 0, count: 20, statuses: null }],
    ]);
    await Promise.all([...ahead.values()].map((read) => read.page));
    await Promise.resolve();
    expect(sizes.size('DRIPCEL', null)).toBe(8);
    expect(sizes.size('EMAILSENDX', null)).toBe(12);
    expect(sizes.size('MIGMA', null)).toBeUndefined();
  });

  plainIt('stops at a provider that gave no total: guessing past it would cost calls on every page', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(11));
    sizes.remember('DRIPCEL', null, page(null));
    const { reads, read } = started();
    readAhead(plan, 20, null, sizes, read, oneCall);
    expect(reads).toEqual([['DRIPCEL', { position: 0, count: 9, statuses: null }]]);
    expect(sizes.size('DRIPCEL', null)).toBeNull();
  });

  plainIt('starts each provider the page is expected to reach, asked for what the walk would ask', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(11));
    sizes.remember('DRIPCEL', null, page(8));
    const { reads, read } = started();
    readAhead(plan, 20, null, sizes, read, oneCall);
    expect(reads).toEqual([
      ['DRIPCEL', { position: 0, count: 9, statuses: null }],
      ['EMAILSENDX', { position: 0, count: 1, statuses: null }],
    ]);
  });

  plainIt('stops where the remembered sizes fill the page, and counts from the plan\'s positions', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(100));
    const { reads, read } = started();
    readAhead([['MIGMA', 90], ['DRIPCEL', 0], ['EMAILSENDX', 0]], 5, null, sizes, read, oneCall);
    expect(reads).toEqual([]);
    readAhead([['MIGMA', 90], ['DRIPCEL', 0], ['EMAILSENDX', 0]], 15, null, sizes, read, oneCall);
    // Dripcel never read: counted as holding nothing, so EmailSendX is asked for the same 5.
    expect(reads).toEqual([
      ['DRIPCEL', { position: 0, count: 5, statuses: null }],
      ['EMAILSENDX', { position: 0, count: 5, statuses: null }],
    ]);
  });

  plainIt('a blind read (a provider before it never read) starts only when it costs no more calls than the smallest read', () => {
    // EmailSendX pages by 100: 1 to 100 campaigns cost one call, 101 to 200 two.
    const calls = (name: ProviderName, count: number) => (name === 'EMAILSENDX' ? Math.ceil(count / 100) : 1);
    const { reads, read } = started();
    readAhead(plan, 150, null, new ListSizes(), read, calls);
    // Dripcel costs one call whatever it is asked; EmailSendX's 150 would cost two for a page Migma may fill.
    expect(reads).toEqual([['DRIPCEL', { position: 0, count: 150, statuses: null }]]);
    reads.length = 0;
    readAhead(plan, 100, null, new ListSizes(), read, calls);
    expect(reads.map(([name]) => name)).toEqual(['DRIPCEL', 'EMAILSENDX']);
    // Sizes known: no guess, so a read the page is expected to reach starts whatever it costs.
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(0));
    sizes.remember('DRIPCEL', null, page(0));
    reads.length = 0;
    readAhead(plan, 150, null, sizes, read, calls);
    expect(reads).toEqual([
      ['DRIPCEL', { position: 0, count: 150, statuses: null }],
      ['EMAILSENDX', { position: 0, count: 150, statuses: null }],
    ]);
  });

  plainIt('sizes are per status filter, in any order; a list without a total is remembered as one that cannot say', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', ['SENT', 'DRAFT'], page(3));
    sizes.remember('DRIPCEL', null, page(null));
    expect(sizes.size('MIGMA', ['DRAFT', 'SENT'])).toBe(3);
    expect(sizes.size('MIGMA', null)).toBeUndefined();
    expect(sizes.size('DRIPCEL', null)).toBeNull();
  });

  plainIt('a read started ahead answers the walk when it asked from the same position for at least as many', async () => {
    const entry = (i: number) => ({ campaign: { providerId: `c${i}` } as never, next: i + 1 });
    const early = (count: number, n: number, hasMore: boolean) => ({
      query: { position: 4, count, statuses: null },
      page: Promise.resolve({ entries: Array.from({ length: n }, (_, i) => entry(4 + i)), total: 30, hasMore }),
    });
    // Same ask: the read itself.
    const same = early(5, 5, true);
    expect(servedAhead(same, { position: 4, count: 5, statuses: null })).toBe(same.page);
    // A larger ask: its first ones, and more after them.
    const larger = await servedAhead(early(9, 9, false), { position: 4, count: 3, statuses: null });
    expect(larger!.entries.map((e) => e.next)).toEqual([5, 6, 7]);
    expect(larger!.hasMore).toBe(true);
    expect(larger!.total).toBe(30);
    // A larger ask that held no more than wanted: as it came.
    const short = await servedAhead(early(9, 2, false), { position: 4, count: 3, statuses: null });
    expect(short!.entries).toHaveLength(2);
    expect(short!.hasMore).toBe(false);
    // Too few, another position, or nothing started: the walk reads itself.
    expect(servedAhead(early(2, 2, true), { position: 4, count: 3, statuses: null })).toBeNull();
    expect(servedAhead(early(9, 9, true), { position: 5, count: 3, statuses: null })).toBeNull();
    expect(servedAhead(undefined, { position: 4, count: 3, statuses: null })).toBeNull();
  });

  plainIt('a read that fails and is never awaited is no unhandled rejection', async () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(1));
    const ahead = readAhead(plan, 20, null, sizes, () => Promise.reject(new Error('down')), oneCall);
    expect(ahead.size).toBe(2);
    await new Promise((resolve) => setTimeout(resolve, 10));
  });
});

describe('a cross-provider page over real HTTP', () => {
  const QUERY = '{ campaigns(first: 20) { edges { cursor node { provider providerId name } } pageInfo { hasNextPage endCursor } } }';

  it('asks every provider it reaches at once, with the answer and the calls of the walk one after another', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    const first = await h.query(QUERY);
    expect(first.errors).toBeUndefined();
    expect(new Set(first.data.campaigns.edges.map((e: any) => e.node.provider))).toEqual(new Set(['MIGMA', 'DRIPCEL', 'EMAILSENDX']));
    const callsAlone = Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0);
    h.resetCalls();
    for (const simulator of Object.values(h.simulators)) simulator!.inject({ delayMs: 300, times: Infinity });
    const startedAt = performance.now();
    const second = await h.query(QUERY);
    const ms = performance.now() - startedAt;
    expect(second.data).toEqual(first.data);
    expect(Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0)).toBe(callsAlone);
    // One after another it takes three delays (900 ms and more); at once, one (about 320 ms here).
    expect(ms).toBeLessThan(600);
  });

  it('the first page after start-up is one round trip too; a provider it does not reach costs one call, once', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    for (const simulator of Object.values(h.simulators)) simulator!.inject({ delayMs: 300, times: Infinity });
    const listCalls = () => Object.fromEntries(Object.entries(h.simulators).map(([name, s]) => [name, s!.calls.length]));
    const startedAt = performance.now();
    const cold = await h.query(QUERY);
    const ms = performance.now() - startedAt;
    expect(cold.errors).toBeUndefined();
    expect(new Set(cold.data.campaigns.edges.map((e: any) => e.node.provider))).toEqual(new Set(['MIGMA', 'DRIPCEL', 'EMAILSENDX']));
    // One after another it takes three delays (900 ms and more); at once, one.
    expect(ms).toBeLessThan(600);
    expect(listCalls()).toEqual({ MIGMA: 1, DRIPCEL: 1, EMAILSENDX: 1 });

    // A fresh gateway and a page Migma fills: Dripcel and EmailSendX were asked at once (not used),
    // and from then on their sizes are known: the same page asks Migma only.
    const other = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    const small = '{ campaigns(first: 5) { edges { node { provider providerId } } pageInfo { hasNextPage } } }';
    const once = await other.query(small);
    expect(once.data.campaigns.edges.map((e: any) => e.node.provider)).toEqual(Array(5).fill('MIGMA'));
    expect(Object.fromEntries(Object.entries(other.simulators).map(([name, s]) => [name, s!.calls.length]))).toEqual({ MIGMA: 1, DRIPCEL: 1, EMAILSENDX: 1 });
    other.resetCalls();
    const again = await other.query(small);
    expect(again.data).toEqual(once.data);
    expect(Object.fromEntries(Object.entries(other.simulators).map(([name, s]) => [name, s!.calls.length]))).toEqual({ MIGMA: 1, DRIPCEL: 0, EMAILSENDX: 0 });
  });

  it('a wrong guess (a list that changed size) costs a call, never a wrong page', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    await h.query(QUERY);
    // Migma now says it has two campaigns fewer than the remembered eleven: Dripcel's early read asked for too few.
    h.simulators.MIGMA!.inject({
      match: (r) => r.path === '/v1/campaigns',
      status: 200,
      body: { success: true, data: { campaigns: [], total: 0 } },
      times: Infinity,
    });
    h.resetCalls();
    const res = await h.query('{ campaigns(first: 20) { edges { node { provider providerId } } } }');
    expect(res.errors).toBeUndefined();
    const providers = res.data.campaigns.edges.map((e: any) => e.node.provider);
    expect(providers.filter((p: string) => p === 'MIGMA')).toHaveLength(0);
    expect(providers.filter((p: string) => p === 'DRIPCEL')).toHaveLength(8);
    expect(providers.filter((p: string) => p === 'EMAILSENDX')).toHaveLength(12);
  });
});
