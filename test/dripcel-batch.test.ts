import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startDripcelSimulator } from '../src/providers/dripcel/simulator.js';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { encodeGlobalId } from '../src/relay/globalId.js';
import { startHarness, type Harness } from './support/harness.js';

const data = dripcelDemoData();
const logsOf = (campaignId: string) => data.sendLogs.filter((l) => l.campaign_id === campaignId);
const sentOf = (campaignId: string) => logsOf(campaignId).reduce((sum, l) => sum + l.destinations.length, 0);
const FIVE = data.campaigns.slice(0, 5);

const FIVE_CAMPAIGNS = /* GraphQL */ `
  query ($first: Int) {
    campaigns(first: 5) {
      edges { node { providerId sendLogs(first: $first) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { providerId destinationCount } }
      } } }
    }
  }
`;

function expectFirstPages(edges: any[], first: number) {
  expect(edges.map((e) => e.node.providerId)).toEqual(FIVE.map((c) => c._id));
  for (const { node } of edges) {
    const logs = logsOf(node.providerId);
    expect(node.sendLogs.edges.map((e: any) => e.node)).toEqual(
      logs.slice(0, first).map((l) => ({ providerId: l._id, destinationCount: l.destinations.length })),
    );
    expect(node.sendLogs.pageInfo.hasNextPage).toBe(logs.length > first);
    expect(node.sendLogs.totalCount).toBe(logs.length);
  }
}

describe('Dripcel Campaign.sendLogs batching and derived stats', () => {
  let harness: Harness;
  const sim = () => harness.simulators.DRIPCEL!;

  beforeAll(async () => {
    harness = await startHarness({ providers: ['DRIPCEL', 'EMAILSENDX'] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it("five campaigns' sendLogs(first: 10) in one query cost exactly one search naming all five", async () => {
    const res = await harness.query(FIVE_CAMPAIGNS, { first: 10 });
    expect(res.errors).toBeUndefined();
    expectFirstPages(res.data.campaigns.edges, 10);
    expect(sim().count('/send-logs/search')).toBe(1);
    expect(sim().count('/campaigns')).toBe(1);
    expect(sim().calls).toHaveLength(2);
    const search = sim().calls.find((c) => c.path === '/send-logs/search')!.body as any;
    expect(search.find.campaign_id).toEqual(FIVE.map((c) => c._id));
    expect(search.options.skip).toBe(0);
    expect(search.options.limit).toBeGreaterThanOrEqual(5 * 11);
  });

  it('derived stats ride on the same search: sent = sum of destination counts, source DERIVED, other counts null', async () => {
    const res = await harness.query(/* GraphQL */ `{
      campaigns(first: 8) { edges { node { providerId
        stats { source sent delivered opens bounces deliveryRate bounceRate lastUpdated }
        sendLogs(first: 3) { edges { node { providerId } } }
      } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges).toHaveLength(8);
    for (const { node } of res.data.campaigns.edges) {
      expect(node.stats).toEqual({
        source: 'DERIVED', sent: sentOf(node.providerId), delivered: null, opens: null, bounces: null,
        deliveryRate: null, bounceRate: null, lastUpdated: null,
      });
      expect(node.sendLogs.edges.map((e: any) => e.node.providerId)).toEqual(logsOf(node.providerId).slice(0, 3).map((l) => l._id));
    }
    expect(res.data.campaigns.edges.find((e: any) => e.node.providerId === data.campaigns[5]!._id).node.stats.sent).toBe(0);
    expect(sim().count('/send-logs/search')).toBe(1);
  });

  it('walks Campaign.sendLogs of the 160-log campaign page by page: every log once, in order', async () => {
    const campaign = data.campaigns[0]!;
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await harness.query(
        `query ($id: String!, $after: String) { campaignByProviderId(provider: DRIPCEL, providerId: $id) {
          sendLogs(first: 50, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { node { providerId } } }
        } }`,
        { id: campaign._id, after },
      );
      expect(res.errors).toBeUndefined();
      const conn = res.data.campaignByProviderId.sendLogs;
      expect(conn.totalCount).toBe(160);
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...conn.edges.map((e: any) => e.node.providerId));
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(logsOf(campaign._id).map((l) => l._id));
    // The later pages search their own window of this campaign.
    const windows = sim().calls.filter((c) => c.path === '/send-logs/search').map((c) => (c.body as any).options.skip);
    expect(windows).toEqual([0, 50, 100, 150]);
  });

  it("a cursor of one campaign's sendLogs is BAD_USER_INPUT on another campaign", async () => {
    const page = await harness.query(FIVE_CAMPAIGNS, { first: 2 });
    const cursor = page.data.campaigns.edges[0].node.sendLogs.pageInfo.endCursor;
    const res = await harness.query(
      `query ($id: String!, $after: String) { campaignByProviderId(provider: DRIPCEL, providerId: $id) { name sendLogs(after: $after) { totalCount } } }`,
      { id: data.campaigns[1]!._id, after: cursor },
    );
    expect(res.data.campaignByProviderId).toEqual({ name: data.campaigns[1]!.name, sendLogs: null });
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.path).toEqual(['campaignByProviderId', 'sendLogs']);
  });

  it("sendLogs is null on other providers' campaigns, without a Dripcel call", async () => {
    const res = await harness.query(`{
      campaigns(first: 2, filter: { providers: [EMAILSENDX] }) { edges { node { provider sendLogs(first: 5) { totalCount } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaigns.edges).toEqual([
      { node: { provider: 'EMAILSENDX', sendLogs: null } },
      { node: { provider: 'EMAILSENDX', sendLogs: null } },
    ]);
    expect(sim().calls).toHaveLength(0);
  });

  it('lists Dripcel campaigns before EMAILSENDX, with status from `status` or the `active` flag', async () => {
    const res = await harness.query(`{
      campaigns(first: 9) { totalCount edges { node { provider providerId name status providerStatus createdAt } } }
    }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.campaigns.edges.map((e: any) => e.node);
    expect(nodes.slice(0, 8).map((n: any) => [n.providerId, n.name, n.createdAt])).toEqual(
      data.campaigns.map((c) => [c._id, c.name, c.createdAt]),
    );
    expect(nodes.slice(0, 8).map((n: any) => [n.status, n.providerStatus])).toEqual([
      ['SENDING', 'active=true'],
      ['SENT', 'completed'],
      ['SENDING', 'active'],
      ['SENDING', 'active=true'],
      ['SENT', 'active=false'],
      ['DRAFT', 'draft'],
      ['PAUSED', 'paused'],
      ['SENT', 'completed'],
    ]);
    expect(nodes[8].provider).toBe('EMAILSENDX');
    expect(res.data.campaigns.totalCount).toBe(8 + 64);
    expect(sim().calls.map((c) => c.path)).toEqual(['/campaigns']);
  });

  it('filters the cached campaign list by status and pages it with cursors (one GET /campaigns per request)', async () => {
    const query = `query ($after: String) { campaigns(first: 2, after: $after, filter: { providers: [DRIPCEL], status: [SENT, SENDING] }) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { providerId status } } } }`;
    const expected = [0, 1, 2, 3, 4, 7].map((i) => data.campaigns[i]!._id);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const res: any = await harness.query(query, { after });
      expect(res.errors).toBeUndefined();
      expect(res.data.campaigns.totalCount).toBe(6);
      seen.push(...res.data.campaigns.edges.map((e: any) => e.node.providerId));
      if (!res.data.campaigns.pageInfo.hasNextPage) break;
      after = res.data.campaigns.pageInfo.endCursor;
    }
    expect(seen).toEqual(expected);
    expect(sim().count('/campaigns')).toBe(3);
  });

  it('campaign lookups by id: one is GET /campaigns/:id, several in one query read the list once, unknown is null', async () => {
    const ids = FIVE.map((c) => encodeGlobalId('Campaign', 'DRIPCEL', c._id));
    const res = await harness.query(
      `query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Campaign { providerId stats { sent } sendLogs(first: 10) { totalCount } } } }`,
      { ids },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.nodes).toEqual(
      FIVE.map((c) => ({ providerId: c._id, stats: { sent: sentOf(c._id) }, sendLogs: { totalCount: logsOf(c._id).length } })),
    );
    expect(sim().calls.map((c) => c.path).sort()).toEqual(['/campaigns', '/send-logs/search']);

    harness.resetCalls();
    const one = await harness.query(
      `query ($id: String!) { known: campaignByProviderId(provider: DRIPCEL, providerId: $id) { name }
        unknown: campaignByProviderId(provider: DRIPCEL, providerId: "ffffffffffffffffffffffff") { name } }`,
      { id: data.campaigns[3]!._id },
    );
    expect(one.errors).toBeUndefined();
    expect(one.data).toEqual({ known: { name: data.campaigns[3]!.name }, unknown: null });
    // Two ids in one batch: the list, then the id missing from it one by one.
    expect(sim().calls.map((c) => c.path)).toEqual(['/campaigns', '/campaigns/ffffffffffffffffffffffff']);
  });
});

describe('Dripcel batch when a search answers fewer rows than asked (truncated batch)', () => {
  let harness: Harness;
  const CAP = 30;

  beforeAll(async () => {
    const simulator = await startDripcelSimulator({ apiKey: 'capped_key', rateLimitPerMinute: 6000, maxSearchRows: CAP });
    harness = await startHarness({ simulators: { DRIPCEL: simulator } });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it('serves campaigns the batch covered and gives only the others a search of their own', async () => {
    const batchRows = data.sendLogs.filter((l) => FIVE.some((c) => c._id === l.campaign_id)).slice(0, CAP);
    const short = FIVE.filter((c) => batchRows.filter((l) => l.campaign_id === c._id).length < 11);
    expect(short.length).toBeGreaterThan(0);
    expect(short.length).toBeLessThan(5);

    const res = await harness.query(FIVE_CAMPAIGNS, { first: 10 });
    expect(res.errors).toBeUndefined();
    expectFirstPages(res.data.campaigns.edges, 10);
    const searches = harness.simulators.DRIPCEL!.calls.filter((c) => c.path === '/send-logs/search').map((c) => c.body as any);
    expect(searches[0].find.campaign_id).toEqual(FIVE.map((c) => c._id));
    // Short campaigns: a window of their own (limit 10; its total gives hasNextPage); covered ones: totalCount asks for one row.
    const followUps = searches.slice(1).map((b): [string, number] => [b.find.campaign_id.join(), b.options.limit]);
    expect(new Map(followUps)).toEqual(new Map(FIVE.map((c) => [c._id, short.includes(c) ? 10 : 1])));
    expect(searches).toHaveLength(1 + 5);

    // Without totalCount selected, the covered campaigns cost nothing more.
    harness.resetCalls();
    const lean = await harness.query(`{ campaigns(first: 5) { edges { node { sendLogs(first: 10) { edges { node { providerId } } } } } } }`);
    expect(lean.errors).toBeUndefined();
    expect(harness.simulators.DRIPCEL!.count('/send-logs/search')).toBe(1 + short.length);
  });

  it('derived stats page further through the campaign when the batch did not hold all its rows', async () => {
    const res = await harness.query(`{ campaigns(first: 5) { edges { node { providerId stats { sent } } } } }`);
    expect(res.errors).toBeUndefined();
    for (const { node } of res.data.campaigns.edges) expect(node.stats.sent).toBe(sentOf(node.providerId));
    // One batch, then every campaign read alone in pages of at most 30 rows.
    const pages = FIVE.reduce((n, c) => n + Math.max(1, Math.ceil(logsOf(c._id).length / CAP)), 0);
    expect(harness.simulators.DRIPCEL!.count('/send-logs/search')).toBe(1 + pages);
  });
});
