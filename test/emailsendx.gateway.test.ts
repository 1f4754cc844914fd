import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { startEmailSendXSimulator } from '../src/providers/emailsendx/simulator.js';
import { emailSendXDemoCampaigns } from '../src/providers/emailsendx/demoData.js';
import { startHarness, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const PATH = '/api/v1/campaigns';
const ALL = emailSendXDemoCampaigns();

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: CampaignFilter) {
    campaigns(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id provider providerId name status providerStatus } }
    }
  }
`;

describe('EmailSendX through the gateway over HTTP', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());
  const calls = () => h.simulators.EMAILSENDX!.count(PATH);

  it('a first page of 20 campaigns with their stats costs one upstream call', async () => {
    const res = await h.query(`{ campaigns { edges { node { name stats { sent openRate } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges).toHaveLength(20);
    expect(res.data.campaigns.edges[0].node).toEqual({ name: 'April Newsletter', stats: { sent: 5420, openRate: 1945 / 5388 } });
    expect(calls()).toBe(1);
    expect(h.simulators.EMAILSENDX!.calls[0]!.query.get('limit')).toBe('20');
  });

  it('walking endCursor with first 10 returns every campaign exactly once, in order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await h.query(PAGE, { first: 10, after });
      expect(res.errors).toBeUndefined();
      const connection = res.data.campaigns;
      seen.push(...connection.edges.map((e: any) => e.node.providerId));
      expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(connection.totalCount).toBe(ALL.length);
      pages++;
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(seen).toEqual(ALL.map((c) => c.id));
    expect(pages).toBe(Math.ceil(ALL.length / 10));
    expect(calls()).toBe(pages); // each page one call, totalCount from the same answer
  });

  it('first 50 after the 5th campaign is one call; first 500 over pages of at most 100', async () => {
    const head: any = await h.query(PAGE, { first: 5 });
    h.resetCalls();
    const res: any = await h.query(PAGE, { first: 50, after: head.data.campaigns.pageInfo.endCursor });
    expect(res.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual(ALL.slice(5, 55).map((c) => c.id));
    expect(calls()).toBe(1);

    h.resetCalls();
    const all: any = await h.query(PAGE, { first: 500 });
    expect(all.data.campaigns.edges).toHaveLength(ALL.length);
    expect(all.data.campaigns.pageInfo.hasNextPage).toBe(false);
    const limits = h.simulators.EMAILSENDX!.calls.map((c) => Number(c.query.get('limit')));
    expect(Math.max(...limits)).toBeLessThanOrEqual(100);
  });

  it('a cursor in the middle of an upstream page resumes exactly there', async () => {
    const first: any = await h.query(PAGE, { first: 7 });
    const second: any = await h.query(PAGE, { first: 7, after: first.data.campaigns.pageInfo.endCursor });
    expect(second.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual(ALL.slice(7, 14).map((c) => c.id));
  });

  it('filters by one status upstream and by several locally, paging both exactly', async () => {
    const paused: any = await h.query(PAGE, { first: 100, filter: { status: ['PAUSED'] } });
    expect(paused.data.campaigns.edges.map((e: any) => e.node.providerId)).toEqual(ALL.filter((c) => c.status === 'paused').map((c) => c.id));
    expect(paused.data.campaigns.totalCount).toBe(ALL.filter((c) => c.status === 'paused').length);
    expect(h.simulators.EMAILSENDX!.calls.at(-1)!.query.get('status')).toBe('paused');

    const wanted = new Set(['draft', 'scheduled']);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const res: any = await h.query(PAGE, { first: 4, after, filter: { status: ['DRAFT', 'SCHEDULED'] } });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.campaigns.edges.map((e: any) => e.node.providerId));
      after = res.data.campaigns.pageInfo.hasNextPage ? res.data.campaigns.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(ALL.filter((c) => wanted.has(c.status!)).map((c) => c.id));

    h.resetCalls();
    const failed: any = await h.query(PAGE, { filter: { status: ['FAILED'] } });
    expect(failed.data.campaigns).toMatchObject({ edges: [], totalCount: 0, pageInfo: { hasNextPage: false } });
    expect(calls()).toBe(0);
  });

  it('campaign, campaignByProviderId, node and nodes find a campaign by id, with stats from ?id=', async () => {
    const list: any = await h.query(`{ campaigns(first: 2) { edges { node { id } } } }`);
    const [aprilId, marchId] = list.data.campaigns.edges.map((e: any) => e.node.id);
    h.resetCalls();
    const res: any = await h.query(
      `query($a: ID!, $m: ID!) {
        campaign(id: $a) { providerId name stats { sent delivered opens uniqueOpens clicks uniqueClicks bounces complaints unsubscribes
          deliveryRate openRate clickRate clickToOpenRate bounceRate complaintRate unsubscribeRate source lastUpdated } }
        byProvider: campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { id }
        node(id: $m) { id ... on Campaign { name } }
        nodes(ids: [$a, $m]) { id }
      }`,
      { a: aprilId, m: marchId },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.campaign.stats).toEqual({
      sent: 5420, delivered: 5388, opens: 2168, uniqueOpens: 1945, clicks: 542, uniqueClicks: 487, bounces: 32, complaints: 4, unsubscribes: 18,
      deliveryRate: 5388 / 5420, openRate: 1945 / 5388, clickRate: 487 / 5388, clickToOpenRate: 487 / 1945, bounceRate: 32 / 5420,
      complaintRate: 4 / 5388, unsubscribeRate: 18 / 5388, source: 'PROVIDER', lastUpdated: null,
    });
    expect(res.data.byProvider.id).toBe(aprilId);
    expect(res.data.node).toEqual({ id: marchId, name: 'March Newsletter' });
    expect(res.data.nodes).toEqual([{ id: aprilId }, { id: marchId }]);
    // April and March once each, however many fields asked for them.
    expect(calls()).toBe(2);
    expect(h.simulators.EMAILSENDX!.calls.map((c) => c.query.get('id')).sort()).toEqual(['clx_camp_april_nl_id', 'clx_camp_march_nl_id']);
  });

  it('a campaign EmailSendX does not have is null with no error', async () => {
    const res = await h.query(`{ campaignByProviderId(provider: EMAILSENDX, providerId: "nope") { id } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ campaignByProviderId: null });
  });

  it('bad input gets BAD_USER_INPUT, never a 500', async () => {
    const cases = [
      `{ campaigns(first: 501) { totalCount } }`,
      `{ campaigns(first: -1) { totalCount } }`,
      `{ campaigns(after: "garbage") { totalCount } }`,
      `{ campaign(id: "Zm9vYmFy") { id } }`,
      `{ node(id: "!!") { id } }`,
    ];
    for (const query of cases) {
      const res = await h.query(query);
      expect(res.status, query).toBeLessThan(500);
      expect(res.errors?.[0]?.extensions?.code, query).toBe('BAD_USER_INPUT');
    }
    const filtered: any = await h.query(PAGE, { first: 2, filter: { status: ['SENT'] } });
    const foreign = await h.query(PAGE, { after: filtered.data.campaigns.pageInfo.endCursor });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('naming an unconfigured provider is PROVIDER_NOT_CONFIGURED; leaving it out lists the others', async () => {
    const named = await h.query(`{ campaigns(filter: { providers: [MIGMA] }) { totalCount } }`);
    expect(named.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED', provider: 'MIGMA' });
    const lookup = await h.query(`{ campaignByProviderId(provider: DRIPCEL, providerId: "x") { id } }`);
    expect(lookup.errors?.[0]?.extensions?.code).toBe('PROVIDER_NOT_CONFIGURED');
  });

  it('upstream failures cost only the fields they touch', async () => {
    h.simulators.EMAILSENDX!.inject({ match: (r) => r.query.get('id') === 'clx_camp_march_nl_id', status: 503, body: { error: 'maintenance' }, times: 3 });
    const res = await h.query(`{
      a: campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { name }
      m: campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_march_nl_id") { name }
    }`);
    expect(res.status).toBe(200);
    expect(res.data).toEqual({ a: { name: 'April Newsletter' }, m: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['m']);
    expect(res.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'EMAILSENDX', upstreamStatus: 503 });
    expect(res.errors![0]!.message).toContain('maintenance');
  });

  it('maps malformed, empty and wrongly shaped bodies to UPSTREAM_BAD_RESPONSE', async () => {
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 200, rawBody: '<html>oops</html>' });
    const malformed = await h.query(`{ campaignByProviderId(provider: EMAILSENDX, providerId: "x") { id } }`);
    expect(malformed.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'EMAILSENDX' });

    sim.inject({ status: 200, rawBody: '' });
    const empty = await h.query(`{ campaignByProviderId(provider: EMAILSENDX, providerId: "x") { id } }`);
    expect(empty.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');

    sim.inject({ status: 200, body: { data: 'not a list' } });
    const wrongShape = await h.query(`{ campaigns { totalCount } }`);
    expect(wrongShape.errors?.[0]?.extensions?.code).toBe('UPSTREAM_BAD_RESPONSE');
  });
});

describe('EmailSendX failures that need their own gateway', () => {
  it('a provider slower than UPSTREAM_TIMEOUT_MS is UPSTREAM_TIMEOUT; an unreachable one UPSTREAM_UNAVAILABLE', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { UPSTREAM_TIMEOUT_MS: '150' } });
    h.simulators.EMAILSENDX!.inject({ delayMs: 1000 });
    const slow = await h.query(`{ campaigns { totalCount } }`);
    expect(slow.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_TIMEOUT', provider: 'EMAILSENDX' });
    const closed = await startEmailSendXSimulator({ apiKey: 'k' });
    const url = closed.url;
    await closed.close();
    const down = await startHarness({ env: { EMAILSENDX_API_KEY: 'k', EMAILSENDX_BASE_URL: url } });
    const res = await down.query(`{ campaigns { totalCount } }`);
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'EMAILSENDX' });
  });

  it('list items without stats: stats come from one ?id= call per campaign, deduplicated', async ({ startHarness }) => {
    const simulator = await startEmailSendXSimulator({ apiKey: 'k', statsInList: false });
    const h = await startHarness({ simulators: { EMAILSENDX: simulator } });
    const res = await h.query(`{
      campaigns(first: 3) { edges { node { stats { sent } again: stats { delivered } } } }
      april: campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { stats { sent } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges[0].node.stats.sent).toBe(5420);
    expect(simulator.count(PATH)).toBe(1 + 3); // one list, then one ?id= per distinct campaign
  });
});

describe('request cancellation', () => {
  it('a client that goes away cancels its upstream calls', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const simulator = h.simulators.EMAILSENDX!;
    simulator.inject({ delayMs: 3000 });
    const controller = new AbortController();
    const pending = fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ campaigns { totalCount } }' }),
      signal: controller.signal,
    }).catch((error: Error) => error.name);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(simulator.count('/api/v1/campaigns')).toBe(1);
    const [upstreamRequest] = simulator.calls;
    controller.abort();
    expect(await pending).toBe('AbortError');
    // The gateway aborted its upstream request: the simulator sees its socket close early.
    await expect.poll(() => (upstreamRequest as { aborted?: boolean }).aborted, { timeout: 2000 }).toBe(true);
  });
});

describe('malformed fields from a provider', () => {
  it('cost only themselves: the campaign is served with those fields null', async ({ startHarness }) => {
    const simulator = await startEmailSendXSimulator({
      apiKey: 'k',
      campaigns: [
        { id: 'weird', name: { nested: true } as never, subject: 42 as never, status: 7 as never, totalRecipients: 'abc' as never, sentAt: 'soon', createdAt: '2026-04-10T09:00:00Z', stats: { sent: 1e12, delivered: 5.5, uniqueOpens: 3 } as never },
      ],
    });
    const h = await startHarness({ simulators: { EMAILSENDX: simulator } });
    const res = await h.query(`{ campaigns { edges { node { providerId name subject status providerStatus totalRecipients sentAt createdAt stats { sent delivered uniqueOpens openRate } } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges[0].node).toEqual({
      providerId: 'weird', name: null, subject: null, status: 'UNKNOWN', providerStatus: null, totalRecipients: null,
      sentAt: null, createdAt: '2026-04-10T09:00:00.000Z', stats: { sent: null, delivered: null, uniqueOpens: 3, openRate: null },
    });
  });
});
