import { describe, expect, it as plainIt } from 'vitest';
import { it } from './support/fixtures.js';
import { ListSizes, readAhead } from '../src/resolvers/listSpeculation.js';
import type { CampaignListPage, CampaignListQuery } from '../src/providers/provider.js';
import type { ProviderName } from '../src/domain/campaign.js';

const page = (total: number | null): CampaignListPage => ({ entries: [], total, hasMore: false });

describe('readAhead (unit)', () => {
  const started = () => {
    const reads: Array<[ProviderName, CampaignListQuery]> = [];
    return { reads, read: (name: ProviderName, query: CampaignListQuery) => (reads.push([name, query]), Promise.resolve(page(0))) };
  };
  const plan: Array<[ProviderName, number]> = [['MIGMA', 0], ['DRIPCEL', 0], ['EMAILSENDX', 0]];

  plainIt('starts nothing while the first provider\'s size is unknown', () => {
    const { reads, read } = started();
    expect(readAhead(plan, 20, null, new ListSizes(), read).size).toBe(0);
    expect(reads).toEqual([]);
  });

  plainIt('starts each provider the page is expected to reach, asked for what the walk would ask', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(11));
    sizes.remember('DRIPCEL', null, page(8));
    const { reads, read } = started();
    readAhead(plan, 20, null, sizes, read);
    expect(reads).toEqual([
      ['DRIPCEL', { position: 0, count: 9, statuses: null }],
      ['EMAILSENDX', { position: 0, count: 1, statuses: null }],
    ]);
  });

  plainIt('stops where the remembered sizes fill the page, and counts from the plan\'s positions', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(100));
    const { reads, read } = started();
    readAhead([['MIGMA', 90], ['DRIPCEL', 0], ['EMAILSENDX', 0]], 5, null, sizes, read);
    expect(reads).toEqual([]);
    readAhead([['MIGMA', 90], ['DRIPCEL', 0], ['EMAILSENDX', 0]], 15, null, sizes, read);
    expect(reads).toEqual([['DRIPCEL', { position: 0, count: 5, statuses: null }]]);
  });

  plainIt('sizes are per status filter, in any order, and unknown totals are not remembered', () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', ['SENT', 'DRAFT'], page(3));
    sizes.remember('DRIPCEL', null, page(null));
    expect(sizes.size('MIGMA', ['DRAFT', 'SENT'])).toBe(3);
    expect(sizes.size('MIGMA', null)).toBeUndefined();
    expect(sizes.size('DRIPCEL', null)).toBeUndefined();
  });

  plainIt('a read that fails and is never awaited is no unhandled rejection', async () => {
    const sizes = new ListSizes();
    sizes.remember('MIGMA', null, page(1));
    const ahead = readAhead(plan, 20, null, sizes, () => Promise.reject(new Error('down')));
    expect(ahead.size).toBe(1);
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
