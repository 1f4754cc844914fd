import { describe, expect } from 'vitest';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { emailSendXDemoCampaigns } from '../src/providers/emailsendx/demoData.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { it } from './support/fixtures.js';

const MIGMA = migmaDemoData().campaigns.map((c) => c.id);
const DRIPCEL = dripcelDemoData().campaigns.map((c) => c._id);
const ESX = emailSendXDemoCampaigns().map((c) => c.id);
const PAGE = /* GraphQL */ `query($after: String) { campaigns(first: 25, after: $after) { pageInfo { hasNextPage endCursor } edges { node { providerId } } } }`;
const ENV = { MIGMA_PROJECT_ID: 'proj_demo', UPSTREAM_RETRIES: '0' };

describe('partial data that holds', () => {
  it('one provider answering 429 costs its own fields only: the other providers\' campaigns and unrelated fields stand', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: ENV });
    h.simulators.DRIPCEL!.inject({ status: 429, body: { ok: false, error: 'Too many requests' }, times: 100 });
    const res = await h.query(`{ sendLogs { totalCount } campaigns(first: 100) { edges { node { providerId } } } }`);
    expect(res.data.sendLogs).toBeNull();
    expect(res.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual([...MIGMA, ...ESX]);
    const byPath = Object.fromEntries(res.errors!.map((e) => [e.path!.join('.'), e.extensions]));
    expect(byPath.sendLogs).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', provider: 'DRIPCEL', upstreamStatus: 429 });
    expect(byPath.campaigns).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', provider: 'DRIPCEL', upstreamStatus: 429 });
  });

  it('a walk while one provider fails never skips its campaigns: they follow once it answers', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: ENV });
    // Migma's list fails for the first two pages' worth of calls, then recovers.
    h.simulators.MIGMA!.inject({ match: (r) => r.path === '/v1/campaigns', status: 503, body: { success: false, error: 'maintenance' }, times: 2 });
    const seen: string[] = [];
    const errors: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const res: any = await h.query(PAGE, { after });
      expect(res.data.campaigns).not.toBeNull();
      seen.push(...res.data.campaigns.edges.map((e: any) => e.node.providerId));
      for (const error of res.errors ?? []) errors.push(`${error.extensions.provider}:${error.extensions.code}:${error.path.join('.')}`);
      if (!res.data.campaigns.pageInfo.hasNextPage) break;
      after = res.data.campaigns.pageInfo.endCursor;
    }
    expect(errors).toEqual(['MIGMA:UPSTREAM_UNAVAILABLE:campaigns', 'MIGMA:UPSTREAM_UNAVAILABLE:campaigns']);
    // Every campaign exactly once: Migma's come last, after the providers that answered.
    expect([...seen].sort()).toEqual([...MIGMA, ...DRIPCEL, ...ESX].sort());
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.slice(0, DRIPCEL.length + ESX.length)).toEqual([...DRIPCEL, ...ESX]);
    expect(seen.slice(-MIGMA.length)).toEqual(MIGMA);
  });

  it('when only the failing provider is left, the page is empty but says there is more, with a cursor to retry', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: ENV });
    h.simulators.MIGMA!.inject({ status: 503, body: { success: false, error: 'down' } });
    const failed = await h.query(PAGE, { after: null });
    expect(failed.data.campaigns.edges).toEqual([]);
    expect(failed.data.campaigns.pageInfo.hasNextPage).toBe(true);
    expect(failed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'MIGMA' });
    const retried = await h.query(PAGE, { after: failed.data.campaigns.pageInfo.endCursor });
    expect(retried.errors).toBeUndefined();
    expect(retried.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual(MIGMA);
    expect(retried.data.campaigns.pageInfo.hasNextPage).toBe(false);
  });
});
