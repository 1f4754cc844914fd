import { afterAll, afterEach, beforeAll, beforeEach, describe, expect } from 'vitest';
import { it } from './support/fixtures.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { startHarness, type Harness } from './support/harness.js';

const DASHBOARD = /* GraphQL */ `{ campaigns(first: 30) { totalCount edges { node { id provider name status stats { sent openRate } } } } }`;
const MIGMA_ID = 'cmp_mg_webinar';
const DETAIL = /* GraphQL */ `query Detail($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) { name stats { sent delivered } } }`;

function totalCalls(h: Harness): number {
  return Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0);
}

describe('the cross-request cache over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo', CACHE_TTL_S: '60' } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());

  it('the dashboard loaded twice costs its upstream calls once', async () => {
    const first = await h.query(DASHBOARD);
    expect(first.errors).toBeUndefined();
    const cost = totalCalls(h);
    expect(cost).toBeGreaterThan(5);
    h.resetCalls();
    const second = await h.query(DASHBOARD);
    expect(second.data).toEqual(first.data);
    expect(totalCalls(h)).toBe(0);
  });

  it('a campaign a list returned is a cache hit for campaign, node and campaignByProviderId afterwards', async () => {
    const list = await h.query(`{ campaigns(first: 100, filter: { providers: [MIGMA, EMAILSENDX] }) { edges { node { id providerId provider } } } }`);
    const nodes = list.data.campaigns.edges.map((e: any) => e.node);
    const migma = nodes.find((n: any) => n.providerId === MIGMA_ID);
    const esx = nodes.find((n: any) => n.provider === 'EMAILSENDX');
    h.resetCalls();
    const detail = await h.query(
      `query($a: ID!, $b: ID!, $esx: String!) {
        a: campaign(id: $a) { name }
        b: node(id: $b) { ... on Campaign { name } }
        c: campaignByProviderId(provider: MIGMA, providerId: "${MIGMA_ID}") { status }
        e: campaignByProviderId(provider: EMAILSENDX, providerId: $esx) { name stats { sent openRate } }
      }`,
      { a: migma.id, b: migma.id, esx: esx.providerId },
    );
    expect(detail.errors).toBeUndefined();
    expect(detail.data.a.name).toBe(migmaDemoData().campaigns.find((c) => c.id === MIGMA_ID)!.name);
    expect(detail.data.e.stats.sent).toBeGreaterThan(0);
    // EmailSendX list items carry their stats: the lookup with stats costs nothing; Migma stats are a call of their own (not selected here).
    expect(totalCalls(h)).toBe(0);
  });

});


describe('in-flight sharing and failures, each on a fresh cache', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '60', UPSTREAM_RETRIES: '0' } });
  });
  afterEach(() => h.close());

  it('12 people opening the same campaign at once cost 2 calls (campaign + stats), not 24', async () => {
    const id = 'cmp_mg_loyalty_ab';
    // Slow enough that all requests of the burst are in flight together.
    h.simulators.MIGMA!.inject({ delayMs: 150, times: 1000 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => h.query(DETAIL, { id })));
    for (const answer of answers) expect(answer.data.campaignByProviderId.name).toBe('Loyalty Programme A/B');
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${id}`)).toBe(1);
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${id}/stats`)).toBe(1);
  });

  it('failures are never cached: a failed call is tried again by the next request', async () => {
    h.simulators.MIGMA!.inject({ match: (r) => r.path === '/v1/campaigns/cmp_mg_nov_digest', status: 401, body: { success: false, error: 'bad key' } });
    const failed = await h.query(DETAIL, { id: 'cmp_mg_nov_digest' });
    expect(failed.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
    const next = await h.query(DETAIL, { id: 'cmp_mg_nov_digest' });
    expect(next.errors).toBeUndefined();
    expect(next.data.campaignByProviderId.name).toBe('November Digest');
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_nov_digest')).toBe(2);
  });
});

describe('TTL expiry, CACHE_TTL_S=0 and stale answers', () => {
  it('an answer expires after its TTL', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '1' } });
    await h.query(DETAIL, { id: MIGMA_ID });
    await h.query(DETAIL, { id: MIGMA_ID });
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${MIGMA_ID}`)).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await h.query(DETAIL, { id: MIGMA_ID });
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${MIGMA_ID}`)).toBe(2);
  });

  it('CACHE_TTL_S=0: every request calls upstream, concurrent identical calls are still shared', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '0' } });
    await h.query(DETAIL, { id: MIGMA_ID });
    await h.query(DETAIL, { id: MIGMA_ID });
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${MIGMA_ID}`)).toBe(2);
    h.resetCalls();
    h.simulators.MIGMA!.inject({ delayMs: 150, times: 1000 });
    await Promise.all(Array.from({ length: 8 }, () => h.query(DETAIL, { id: MIGMA_ID })));
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${MIGMA_ID}`)).toBe(1);
    expect(h.simulators.MIGMA!.count(`/v1/campaigns/${MIGMA_ID}/stats`)).toBe(1);
  });

  it('with the provider down, a stale answer stands in: no error, extensions.stale names path, provider and age', async ({ startHarness }) => {
    const h = await startHarness({
      providers: ['MIGMA', 'EMAILSENDX'],
      env: { CACHE_TTL_S: '1', CACHE_STALE_S: '60', UPSTREAM_RETRIES: '0' },
    });
    const fresh = await h.query(DETAIL, { id: MIGMA_ID });
    expect(fresh.errors).toBeUndefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    h.simulators.MIGMA!.inject({ status: 503, body: { success: false, error: 'maintenance' }, times: 100 });
    h.resetCalls();
    const response = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: DETAIL, variables: { id: MIGMA_ID } }),
    });
    const body = await response.json();
    expect(body.errors).toBeUndefined();
    expect(body.data).toEqual(fresh.data);
    expect(h.simulators.MIGMA!.calls.length).toBe(2); // both tried, both failed
    const stale = body.extensions.stale as Array<{ path: unknown[]; provider: string; ageSeconds: number; asOf: string; route: string }>;
    expect(stale.map((s) => [s.path, s.provider, s.route]).sort()).toEqual(
      [
        [['campaignByProviderId'], 'MIGMA', 'GET /v1/campaigns/:id'],
        [['campaignByProviderId', 'stats'], 'MIGMA', 'GET /v1/campaigns/:id/stats'],
      ].sort(),
    );
    for (const s of stale) {
      expect(s.ageSeconds).toBeGreaterThanOrEqual(1);
      expect(s.ageSeconds).toBeLessThan(10);
      expect(Date.now() - Date.parse(s.asOf)).toBeGreaterThanOrEqual(1000);
    }
    // Nothing was cached for a campaign never seen: its lookup fails with the provider's code.
    const unseen = await h.query(DETAIL, { id: 'cmp_mg_black_friday' });
    expect(unseen.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'MIGMA' });
  });
});
