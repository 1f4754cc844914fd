import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { encodeGlobalId } from '../src/relay/globalId.js';
import { startHarness, type Harness } from './support/harness.js';

const data = dripcelDemoData();
const campaignName = (id: string) => data.campaigns.find((c) => c._id === id)!.name;
const sendLogId = (id: string) => encodeGlobalId('SendLog', 'DRIPCEL', id);

const SEND_LOGS = /* GraphQL */ `
  query ($first: Int, $after: String, $filter: SendLogFilter) {
    sendLogs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { id providerId message triggeredBy startDeliveryAt destinationCount campaign { providerId name } } }
    }
  }
`;

describe('Dripcel Query.sendLogs and node(id)', () => {
  let harness: Harness;
  const searches = () => harness.simulators.DRIPCEL!.calls.filter((c) => c.path === '/send-logs/search');

  beforeAll(async () => {
    harness = await startHarness({ providers: ['DRIPCEL'] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it('an id that is no ObjectId is null (or an empty list) without an upstream call', async () => {
    const badLog = Buffer.from('SendLog:DRIPCEL:not-an-object-id').toString('base64url');
    const res = await harness.query(
      `query($id: ID!) {
        c: campaignByProviderId(provider: DRIPCEL, providerId: "nope") { id }
        n: node(id: $id) { id }
        s: sendLogs(filter: { campaignIds: ["nope"] }) { totalCount edges { cursor } }
      }`,
      { id: badLog },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ c: null, n: null, s: { totalCount: 0, edges: [] } });
    expect(harness.simulators.DRIPCEL!.calls).toHaveLength(0);
  });

  it('maps search rows to SendLogs with totalCount from total, in one search with skip/limit', async () => {
    const res = await harness.query(SEND_LOGS, { first: 40 });
    expect(res.errors).toBeUndefined();
    const conn = res.data.sendLogs;
    expect(conn.totalCount).toBe(260);
    expect(conn.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(conn.edges.map((e: any) => e.node)).toEqual(
      data.sendLogs.slice(0, 40).map((log) => ({
        id: sendLogId(log._id),
        providerId: log._id,
        message: log.message,
        triggeredBy: log.triggeredBy,
        startDeliveryAt: log.startDeliveryAt,
        destinationCount: log.destinations.length,
        campaign: { providerId: log.campaign_id, name: campaignName(log.campaign_id) },
      })),
    );
    expect(searches().map((c) => c.body)).toEqual([{ find: {}, options: { skip: 0, limit: 40 } }]);
    expect(new Set(data.sendLogs.slice(0, 40).map((l) => l.campaign_id)).size).toBe(3);
    // The campaigns of the page: several ids read the campaign list once instead of one GET each.
    expect(harness.simulators.DRIPCEL!.count('/campaigns')).toBe(1);
    expect(harness.simulators.DRIPCEL!.count(/^\/campaigns\/.+/)).toBe(0);
  });

  it('walks endCursor over all 260 logs, each exactly once and in order, skip = cursor offset', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await harness.query(SEND_LOGS, { first: 100, after });
      expect(res.errors).toBeUndefined();
      seen.push(...res.data.sendLogs.edges.map((e: any) => e.node.providerId));
      pages++;
      if (!res.data.sendLogs.pageInfo.hasNextPage) break;
      after = res.data.sendLogs.pageInfo.endCursor;
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(data.sendLogs.map((l) => l._id));
    expect(searches().map((c) => (c.body as any).options)).toEqual([
      { skip: 0, limit: 100 },
      { skip: 100, limit: 100 },
      { skip: 200, limit: 100 },
    ]);
  });

  it('translates the filter to find.campaign_id and find.startDeliveryAt $gte/$lte', async () => {
    const [a, b] = [data.campaigns[0]!._id, data.campaigns[6]!._id];
    const from = '2026-03-01T00:00:00.000Z';
    const to = '2026-03-20T23:59:59.999Z';
    const expected = data.sendLogs.filter(
      (l) => (l.campaign_id === a || l.campaign_id === b) && l.startDeliveryAt >= from && l.startDeliveryAt <= to,
    );
    expect(expected.length).toBeGreaterThan(10);
    const filter = { campaignIds: [b, a, b], startDeliveryFrom: '2026-03-01T02:00:00+02:00', startDeliveryTo: to };
    const res = await harness.query(SEND_LOGS, { first: 10, filter });
    expect(res.errors).toBeUndefined();
    expect(res.data.sendLogs.totalCount).toBe(expected.length);
    expect(res.data.sendLogs.edges.map((e: any) => e.node.providerId)).toEqual(expected.slice(0, 10).map((l) => l._id));
    expect(searches()[0]!.body).toEqual({
      find: { campaign_id: [a, b].sort(), startDeliveryAt: { $gte: from, $lte: to } },
      options: { skip: 0, limit: 10 },
    });

    const next = await harness.query(SEND_LOGS, { first: 500, after: res.data.sendLogs.pageInfo.endCursor, filter });
    expect(next.data.sendLogs.edges.map((e: any) => e.node.providerId)).toEqual(expected.slice(10).map((l) => l._id));
    expect(next.data.sendLogs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('first: 0 still reports totalCount and hasNextPage (asks Dripcel for one row, never limit 0)', async () => {
    const res = await harness.query(SEND_LOGS, { first: 0 });
    expect(res.data.sendLogs).toMatchObject({ totalCount: 260, edges: [], pageInfo: { hasNextPage: true, endCursor: null } });
    expect((searches()[0]!.body as any).options).toEqual({ skip: 0, limit: 1 });
  });

  it('an empty campaignIds list matches nothing without an upstream call', async () => {
    const res = await harness.query(SEND_LOGS, { filter: { campaignIds: [] } });
    expect(res.data.sendLogs).toMatchObject({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false } });
    expect(harness.simulators.DRIPCEL!.calls).toHaveLength(0);
  });

  it('rejects a garbage cursor, a cursor of another filter or connection, and first out of range', async () => {
    const page = await harness.query(SEND_LOGS, { first: 2, filter: { campaignIds: [data.campaigns[0]!._id] } });
    const cursor = page.data.sendLogs.pageInfo.endCursor;
    const campaignPage = await harness.query(
      `query ($id: String!) { campaignByProviderId(provider: DRIPCEL, providerId: $id) { sendLogs(first: 1) { pageInfo { endCursor } } } }`,
      { id: data.campaigns[0]!._id },
    );
    const campaignCursor = campaignPage.data.campaignByProviderId.sendLogs.pageInfo.endCursor;
    harness.resetCalls();
    for (const variables of [
      { after: 'bm90IGEgY3Vyc29y' },
      { after: cursor, filter: { campaignIds: [data.campaigns[1]!._id] } },
      { after: cursor },
      { after: campaignCursor, filter: { campaignIds: [data.campaigns[0]!._id] } },
      { first: 501 },
      { first: -1 },
      { filter: { startDeliveryFrom: 'yesterday' } },
    ]) {
      const res = await harness.query(SEND_LOGS, variables);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    expect(harness.simulators.DRIPCEL!.calls).toHaveLength(0);
  });

  it('node(id) reads one log with GET /send-logs/:send_id (count form); an unknown log is null without error', async () => {
    const log = data.sendLogs[42]!;
    const missing = sendLogId('0123456789abcdef01234567');
    const res = await harness.query(
      `query ($id: ID!, $missing: ID!) {
        node(id: $id) { __typename id ... on SendLog { providerId destinationCount startDeliveryAt campaign { name } } }
        missing: node(id: $missing) { id }
      }`,
      { id: sendLogId(log._id), missing },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.node).toEqual({
      __typename: 'SendLog',
      id: sendLogId(log._id),
      providerId: log._id,
      destinationCount: log.destinations.length,
      startDeliveryAt: log.startDeliveryAt,
      campaign: { name: campaignName(log.campaign_id) },
    });
    expect(res.data.missing).toBeNull();
    const gets = harness.simulators.DRIPCEL!.calls.filter((c) => c.path.startsWith('/send-logs/'));
    expect(gets.map((c) => `${c.path}?${c.query}`).sort()).toEqual(
      [`/send-logs/${log._id}?group_destinations=count`, `/send-logs/0123456789abcdef01234567?group_destinations=count`].sort(),
    );
    // One campaign: GET /campaigns/:campaign_id, not the list.
    expect(harness.simulators.DRIPCEL!.count(`/campaigns/${log.campaign_id}`)).toBe(1);
    expect(harness.simulators.DRIPCEL!.count('/campaigns')).toBe(0);
  });

  it('nodes(ids) resolves SendLogs and Campaigns side by side; a SendLog id is refused by campaign(id)', async () => {
    const log = data.sendLogs[0]!;
    const campaignId = encodeGlobalId('Campaign', 'DRIPCEL', data.campaigns[2]!._id);
    const res = await harness.query(
      `query ($ids: [ID!]!, $log: ID!) { nodes(ids: $ids) { __typename id } campaign(id: $log) { id } }`,
      { ids: [sendLogId(log._id), campaignId], log: sendLogId(log._id) },
    );
    expect(res.data.nodes).toEqual([
      { __typename: 'SendLog', id: sendLogId(log._id) },
      { __typename: 'Campaign', id: campaignId },
    ]);
    expect(res.data.campaign).toBeNull();
    expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('federation: _entities resolves a SendLog by its id key', async () => {
    const log = data.sendLogs[7]!;
    const res = await harness.query(
      `query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on SendLog { providerId destinationCount } } }`,
      { reps: [{ __typename: 'SendLog', id: sendLogId(log._id) }] },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ providerId: log._id, destinationCount: log.destinations.length }]);
    const sdl = await harness.query(`{ _service { sdl } }`);
    expect(sdl.data._service.sdl).toMatch(/type SendLog implements Node\s+@key\(fields: "id"\)/);
  });
});
