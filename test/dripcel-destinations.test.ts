import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { encodeGlobalId } from '../src/relay/globalId.js';
import { startHarness, type Harness } from './support/harness.js';

const data = dripcelDemoData();
const single = () => /^\/send-logs\/[0-9a-f]{24}$/;

describe('Dripcel destinations on demand', () => {
  let harness: Harness;
  const sim = () => harness.simulators.DRIPCEL!;

  beforeAll(async () => {
    harness = await startHarness({ providers: ['DRIPCEL'] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it('destinationCount comes from the search rows: no single-log call when destinations is not selected', async () => {
    const res = await harness.query(`{
      sendLogs(first: 25) { edges { node { providerId destinationCount } } }
      campaigns(first: 8) { edges { node { sendLogs(first: 5) { edges { node { destinationCount } } } } } }
    }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.sendLogs.edges.map((e: any) => e.node.destinationCount)).toEqual(
      data.sendLogs.slice(0, 25).map((l) => l.destinations.length),
    );
    expect(sim().count(single())).toBe(0);
    expect(sim().count('/send-logs/search')).toBe(2);
  });

  it('destinations (group_destinations=list) are fetched once per distinct selected log', async () => {
    const logs = data.sendLogs.slice(0, 5);
    const res = await harness.query(
      `query ($id: ID!) {
        a: sendLogs(first: 5) { edges { node { providerId destinationCount destinations } } }
        b: sendLogs(first: 3) { edges { node { destinations } } }
        node(id: $id) { ... on SendLog { destinations } }
      }`,
      { id: encodeGlobalId('SendLog', 'DRIPCEL', logs[1]!._id) },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.a.edges.map((e: any) => e.node)).toEqual(
      logs.map((l) => ({ providerId: l._id, destinationCount: l.destinations.length, destinations: l.destinations })),
    );
    expect(res.data.b.edges.map((e: any) => e.node.destinations)).toEqual(logs.slice(0, 3).map((l) => l.destinations));
    expect(res.data.node.destinations).toEqual(logs[1]!.destinations);
    for (const list of res.data.a.edges.map((e: any) => e.node.destinations)) {
      for (const cell of list) expect(cell).toMatch(/^27[6-8]\d{8}$/);
    }
    const lists = sim().calls.filter((c) => single().test(c.path) && c.query.get('group_destinations') === 'list');
    expect(lists.map((c) => c.path).sort()).toEqual(logs.map((l) => `/send-logs/${l._id}`).sort());
    // node(id) runs beside the searches, so it reads its log once in the count form; its destinations share the list call.
    expect(sim().calls.filter((c) => c.query.get('group_destinations') === 'count').map((c) => c.path)).toEqual([
      `/send-logs/${logs[1]!._id}`,
    ]);
  });

  it('a log that vanished between search and destinations answers null destinations, not an error', async () => {
    const log = data.sendLogs[0]!;
    sim().inject({
      match: (r) => r.path === `/send-logs/${log._id}`,
      status: 404,
      body: { ok: false, error: { code: 'resource_not_found', message: 'Send log not found' } },
    });
    const res = await harness.query(`{ sendLogs(first: 1) { edges { node { destinationCount destinations } } } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data.sendLogs.edges[0].node).toEqual({ destinationCount: log.destinations.length, destinations: null });
  });
});
