import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { startHarness, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const PROJECT = { MIGMA_PROJECT_ID: 'proj_demo' };

const CAMPAIGN_FIELDS = /* GraphQL */ `
  id provider providerId name subject status providerStatus scheduledAt sentAt createdAt totalRecipients
`;

describe('Migma campaigns', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ providers: ['MIGMA'], env: PROJECT });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it('lists the project campaigns in Migma order with statuses mapped and the raw value kept', async () => {
    const res = await harness.query(`{ campaigns(first: 50, filter: { providers: [MIGMA] }) {
      totalCount pageInfo { hasNextPage } edges { node { ${CAMPAIGN_FIELDS} } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.campaigns.edges.map((e: any) => e.node);
    const demo = migmaDemoData().campaigns;
    expect(nodes.map((n: any) => n.providerId)).toEqual(demo.map((c) => c.id));
    expect(res.data.campaigns.totalCount).toBe(11);
    expect(res.data.campaigns.pageInfo.hasNextPage).toBe(false);
    expect(Object.fromEntries(nodes.map((n: any) => [n.providerStatus, n.status]))).toEqual({
      scheduled: 'SCHEDULED',
      pending_review: 'SCHEDULED',
      draft: 'DRAFT',
      ab_testing: 'SENDING',
      sending: 'SENDING',
      throttled: 'SENDING',
      sent: 'SENT',
      cancelled: 'CANCELLED',
      failed: 'FAILED',
      archived: 'UNKNOWN',
    });
    const spring = nodes.find((n: any) => n.providerId === 'cmp_mg_spring_launch');
    expect(spring).toMatchObject({
      provider: 'MIGMA',
      name: 'Spring Launch',
      subject: 'Meet the spring line 🌷',
      scheduledAt: '2026-09-17T09:00:00.000Z',
      sentAt: '2026-09-17T09:02:00.000Z',
      createdAt: '2026-09-15T09:00:00.000Z',
      totalRecipients: 360,
    });
    // Only completedAt is set on the October newsletter: sentAt falls back to it.
    expect(nodes.find((n: any) => n.providerId === 'cmp_mg_october_nl').sentAt).toBe('2026-10-22T09:30:00.000Z');
    // One list call (limit covers the page) and the list primes lookups: no per-campaign calls.
    expect(harness.simulators.MIGMA!.count('/v1/campaigns')).toBe(1);
    expect(harness.simulators.MIGMA!.calls[0]!.query.get('projectId')).toBe('proj_demo');
  });

  it('pages the list with page/limit: walking endCursor gives every campaign once, in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const res: any = await harness.query(
        `query($after: String) { campaigns(first: 4, after: $after, filter: { providers: [MIGMA] }) {
          pageInfo { hasNextPage endCursor } edges { node { providerId } } } }`,
        { after },
      );
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.campaigns.edges.map((e: any) => e.node.providerId));
      if (!res.data.campaigns.pageInfo.hasNextPage) break;
      after = res.data.campaigns.pageInfo.endCursor;
    }
    expect(seen).toEqual(migmaDemoData().campaigns.map((c) => c.id));
    expect(harness.simulators.MIGMA!.count('/v1/campaigns')).toBe(3);
  });

  it('filters by status: one Migma value upstream, several by scanning', async () => {
    const sent = await harness.query(`{ campaigns(first: 10, filter: { providers: [MIGMA], status: [SENT] }) {
      totalCount edges { node { providerId } } } }`);
    expect(sent.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual(['cmp_mg_october_nl', 'cmp_mg_spring_launch']);
    expect(sent.data.campaigns.totalCount).toBe(2);
    expect(harness.simulators.MIGMA!.calls.at(-1)!.query.get('status')).toBe('sent');

    const sending = await harness.query(`{ campaigns(first: 10, filter: { providers: [MIGMA], status: [SENDING] }) {
      edges { node { providerId providerStatus } } } }`);
    expect(sending.data.campaigns.edges.map((e: any) => e.node.providerStatus)).toEqual(['ab_testing', 'sending', 'throttled']);

    harness.resetCalls();
    const scanned = await harness.query(`{ campaigns(first: 10, filter: { providers: [MIGMA], status: [SCHEDULED, UNKNOWN] }) {
      totalCount edges { node { providerId } } } }`);
    expect(scanned.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual([
      'cmp_mg_black_friday',
      'cmp_mg_nov_digest',
      'cmp_mg_legacy_import',
    ]);
    expect(scanned.data.campaigns.totalCount).toBeNull();
    expect(harness.simulators.MIGMA!.calls.map((c) => c.query.get('status'))).toEqual([null]);

    const paused = await harness.query(`{ campaigns(first: 10, filter: { providers: [MIGMA], status: [PAUSED] }) {
      edges { node { providerId } } } }`);
    expect(paused.data.campaigns.edges).toEqual([]);
  });

  it('looks a campaign up by provider id and by global id; unknown ids are null without an error', async () => {
    const res = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { id name status } }`);
    expect(res.data.campaignByProviderId).toMatchObject({ name: 'Webinar Reminder', status: 'SENDING' });
    const byId = await harness.query(`query($id: ID!) { campaign(id: $id) { providerId } node(id: $id) { id } }`, {
      id: res.data.campaignByProviderId.id,
    });
    expect(byId.data.campaign.providerId).toBe('cmp_mg_webinar');
    // Both fields share the request's campaign loader: two lookups, one call.
    expect(harness.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar')).toBe(2);

    const missing = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_nope") { id } }`);
    expect(missing.errors).toBeUndefined();
    expect(missing.data.campaignByProviderId).toBeNull();
  });

  it('an id with a lone surrogate is an unknown id too, not an internal error (found by test/properties.test.ts)', async () => {
    const res = await harness.query(`query ($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) { id } }`, { id: '\ud800' });
    expect(res.errors).toBeUndefined();
    expect(res.data.campaignByProviderId).toBeNull();
  });

  it('serves provider stats with every rate derived from the counts, one stats call per campaign', async () => {
    const res = await harness.query(`{
      a: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_spring_launch") { stats {
        source sent delivered opens uniqueOpens clicks uniqueClicks bounces complaints unsubscribes botOpens botClicks mppOpens
        deliveryRate openRate clickRate clickToOpenRate bounceRate complaintRate unsubscribeRate lastUpdated } }
      b: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_spring_launch") { stats { sent openRate } }
      draft: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_winter_teaser") { stats { sent } }
    }`);
    expect(res.errors).toBeUndefined();
    const upstream = (await fetchUpstream(harness, '/v1/campaigns/cmp_mg_spring_launch/stats')) as any;
    const s = res.data.a.stats;
    expect(s).toMatchObject({
      source: 'PROVIDER',
      sent: upstream.totalSent,
      delivered: upstream.totalDelivered,
      opens: upstream.totalOpens,
      uniqueOpens: upstream.uniqueOpens,
      clicks: upstream.totalClicks,
      uniqueClicks: upstream.uniqueClicks,
      bounces: upstream.bounces,
      complaints: null,
      unsubscribes: upstream.unsubscribes,
      botOpens: upstream.botOpens,
      botClicks: upstream.botClicks,
      mppOpens: upstream.mppOpens,
      lastUpdated: upstream.lastUpdated,
      complaintRate: null,
    });
    expect(s.sent).toBeGreaterThan(300);
    expect(s.deliveryRate).toBeCloseTo(upstream.totalDelivered / upstream.totalSent, 10);
    expect(s.openRate).toBeCloseTo(upstream.uniqueOpens / upstream.totalDelivered, 10);
    // Migma's own openRate is on a 0-100 scale here: ignored.
    expect(upstream.openRate).toBeGreaterThan(1);
    expect(s.openRate).toBeLessThan(1);
    expect(s.clickRate).toBeCloseTo(upstream.uniqueClicks / upstream.totalDelivered, 10);
    expect(s.clickToOpenRate).toBeCloseTo(upstream.uniqueClicks / upstream.uniqueOpens, 10);
    expect(s.bounceRate).toBeCloseTo(upstream.bounces / upstream.totalSent, 10);
    expect(s.unsubscribeRate).toBeCloseTo(upstream.unsubscribes / upstream.totalDelivered, 10);
    expect(res.data.b.stats.sent).toBe(s.sent);
    // A campaign without stats (404) has stats null and no error.
    expect(res.data.draft.stats).toBeNull();
    const sim = harness.simulators.MIGMA!;
    expect(sim.count('/v1/campaigns/cmp_mg_spring_launch/stats') - 1).toBe(1); // minus fetchUpstream's own call
    expect(sim.count('/v1/campaigns/cmp_mg_winter_teaser/stats')).toBe(1);
  });

  it('costs one list call plus one stats call per listed campaign', async () => {
    const res = await harness.query(`{ campaigns(first: 5, filter: { providers: [MIGMA] }) { edges { node {
      name stats { sent } again: stats { delivered } } } } }`);
    expect(res.errors).toBeUndefined();
    const sim = harness.simulators.MIGMA!;
    expect(sim.count('/v1/campaigns')).toBe(1);
    expect(sim.count(/\/stats$/)).toBe(5);
    expect(sim.count(/^\/v1\/campaigns\/[^/]+$/)).toBe(0);
  });

  it('is null everywhere recipientLogs is asked of a non-Migma campaign', async ({ startHarness }) => {
    const esx = await startHarness({ providers: ['EMAILSENDX'] });
    const res = await esx.query(`{ campaigns(first: 1) { edges { node { provider recipientLogs { edges { cursor } } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges[0].node).toEqual({ provider: 'EMAILSENDX', recipientLogs: null });
  });
});

describe('Migma configuration', () => {
  it('without a project id: left out of unfiltered lists, PROVIDER_NOT_CONFIGURED by name, lookups still work', async ({ startHarness }) => {
    const harness = await startHarness({ providers: ['MIGMA', 'EMAILSENDX'] });
    const all = await harness.query(`{ campaigns(first: 3) { edges { node { provider } } } }`);
    expect(all.errors).toBeUndefined();
    expect(all.data.campaigns.edges.map((e: any) => e.node.provider)).toEqual(['EMAILSENDX', 'EMAILSENDX', 'EMAILSENDX']);
    expect(harness.simulators.MIGMA!.count()).toBe(0);

    const named = await harness.query(`{ campaigns(filter: { providers: [MIGMA] }) { edges { cursor } } }`);
    expect(named.errors![0]!.extensions).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', provider: 'MIGMA' });
    expect(named.errors![0]!.message).toContain('MIGMA_PROJECT_ID');

    const one = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_survey") { status } }`);
    expect(one.data.campaignByProviderId.status).toBe('FAILED');
  });

  it('with a project id: Migma comes first in unfiltered lists', async ({ startHarness }) => {
    const harness = await startHarness({ providers: ['MIGMA', 'EMAILSENDX'], env: PROJECT });
    const res = await harness.query(`{ campaigns(first: 13) { edges { node { provider } } } }`);
    const providers = res.data.campaigns.edges.map((e: any) => e.node.provider);
    expect(providers.slice(0, 11).every((p: string) => p === 'MIGMA')).toBe(true);
    expect(providers.slice(11)).toEqual(['EMAILSENDX', 'EMAILSENDX']);
  });

  it('without a key: PROVIDER_NOT_CONFIGURED naming MIGMA_API_KEY', async ({ startHarness }) => {
    const harness = await startHarness({ providers: ['EMAILSENDX'] });
    const res = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "x") { id } }`);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', provider: 'MIGMA' });
    expect(res.errors![0]!.message).toContain('MIGMA_API_KEY');
  });
});

describe('Migma errors', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ providers: ['MIGMA'], env: PROJECT });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  const LOOKUP = `{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name } }`;

  it('a 5xx of the stats call costs only Campaign.stats: the campaign still answers', async () => {
    harness.simulators.MIGMA!.inject({
      match: (r) => r.path.endsWith('/stats'),
      status: 503,
      body: { success: false, error: 'Tracking worker unavailable', code: 'SERVICE_UNAVAILABLE' },
      times: 3, // the first try and two retries
    });
    const res = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name stats { sent } } }`);
    expect(res.data.campaignByProviderId).toEqual({ name: 'Webinar Reminder', stats: null });
    expect(res.errors![0]!.path).toEqual(['campaignByProviderId', 'stats']);
    expect(res.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_UNAVAILABLE',
      provider: 'MIGMA',
      upstreamStatus: 503,
      upstreamCode: 'SERVICE_UNAVAILABLE',
    });
  });

  it('maps a 200 that says success:false, or a body without data, to UPSTREAM_BAD_RESPONSE', async () => {
    harness.simulators.MIGMA!.inject({ status: 200, body: { success: false, error: 'Project suspended', code: 'PROJECT_SUSPENDED' } });
    const failed = await harness.query(LOOKUP);
    expect(failed.errors![0]!.extensions).toEqual({
      code: 'UPSTREAM_BAD_RESPONSE',
      provider: 'MIGMA',
      upstreamStatus: 200,
      upstreamCode: 'PROJECT_SUSPENDED',
    });
    expect(failed.errors![0]!.message).toContain('Project suspended');

    harness.simulators.MIGMA!.inject({ status: 200, body: { success: true, data: { campaigns: 'nope' } } });
    const list = await harness.query(`{ campaigns(filter: { providers: [MIGMA] }) { edges { cursor } } }`);
    expect(list.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'MIGMA' });

    harness.simulators.MIGMA!.inject({ status: 200, rawBody: '<html>oops</html>' });
    const html = await harness.query(LOOKUP);
    expect(html.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'MIGMA', upstreamStatus: 200 });
  });

  it('maps a 400 with Migma’s validation body to BAD_USER_INPUT with its code', async () => {
    harness.simulators.MIGMA!.inject({ status: 400, body: { success: false, error: 'projectId is required', code: 'VALIDATION_ERROR' } });
    const res = await harness.query(`{ campaigns(filter: { providers: [MIGMA] }) { edges { cursor } } }`);
    expect(res.errors![0]!.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      provider: 'MIGMA',
      upstreamStatus: 400,
      upstreamCode: 'VALIDATION_ERROR',
    });
  });
});

/** Reads the simulator's own answer, to compare the gateway's numbers with Migma's. */
async function fetchUpstream(harness: Harness, path: string): Promise<unknown> {
  const sim = harness.simulators.MIGMA!;
  const response = await fetch(sim.url + path, { headers: { authorization: `Bearer ${sim.apiKey}` } });
  return ((await response.json()) as { data: unknown }).data;
}
