import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInfobipSimulator } from '../src/providers/infobip/simulator.js';
import { type SimulatedEmailLog } from '../src/providers/infobip/demoData.js';
import { encodeCursor } from '../src/relay/cursor.js';
import { startHarness, type GraphQLResponse, type Harness } from './support/harness.js';

const PAGE = /* GraphQL */ `
  query Page($first: Int, $after: String, $filter: EmailLogFilter) {
    emailLogs(first: $first, after: $after, filter: $filter) {
      totalCount
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
      edges { cursor node { messageId sentAt } }
    }
  }
`;

/**
 * Bursts sharing one sentAt, sized to straddle page boundaries (30 ties with first: 10), some at
 * neighbouring milliseconds (so `sentUntil + 1 ms` brings back rows already returned), some alone.
 */
function tieHeavyLogs(now: number): SimulatedEmailLog[] {
  const sizes = [30, 1, 3, 30, 12, 7, 7, 1, 45, 2, 9, 30, 1, 1, 64, 5];
  const logs: SimulatedEmailLog[] = [];
  let time = now - 3_600_000;
  sizes.forEach((size, burst) => {
    // Every other burst sits 1 ms after the previous one.
    time += burst % 2 === 0 ? 1 : 1000;
    for (let i = 0; i < size; i++) {
      const n = logs.length;
      logs.push({
        row: { messageId: `tie-${burst}-${i}`, sentAt: new Date(time).toISOString(), to: `r${n}@example.com` },
        campaignReferenceId: 'ties',
      });
    }
  });
  return logs;
}

/** What a walk must return: newest first, ties in the simulator's stable order (insertion). */
function expectedOrder(logs: SimulatedEmailLog[]): string[] {
  return logs
    .map((log, index) => ({ id: log.row.messageId!, time: Date.parse(log.row.sentAt!), index }))
    .sort((a, b) => b.time - a.time || a.index - b.index)
    .map((log) => log.id);
}

async function walk(harness: Harness, first: number, filter?: Record<string, unknown>) {
  const ids: string[] = [];
  let after: string | null = null;
  let pages = 0;
  for (;;) {
    const response: GraphQLResponse = await harness.query(PAGE, { first, after, filter });
    expect(response.errors).toBeUndefined();
    const connection: any = response.data.emailLogs;
    expect(connection.totalCount).toBeNull();
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== null);
    ids.push(...connection.edges.map((edge: any) => edge.node.messageId));
    pages++;
    if (!connection.pageInfo.hasNextPage) break;
    expect(connection.edges.length).toBe(first);
    expect(connection.pageInfo.endCursor).toBe(connection.edges.at(-1).cursor);
    after = connection.pageInfo.endCursor;
  }
  return { ids, pages };
}

function sentLimits(harness: Harness): number[] {
  return harness.simulators.INFOBIP!.calls.map((call) => Number(call.query.get('limit')));
}

for (const exclusive of [false, true]) {
  describe(`Infobip emailLogs walk, simulator sentUntil ${exclusive ? 'exclusive' : 'inclusive'}`, () => {
    const logs = tieHeavyLogs(Date.now());
    const expected = expectedOrder(logs);
    let harness: Harness;

    beforeAll(async () => {
      const simulator = await startInfobipSimulator({
        apiKey: 'test_infobip_key',
        logs,
        sentUntilExclusive: exclusive,
        rateLimitPerMinute: 100_000,
      });
      harness = await startHarness({ simulators: { INFOBIP: simulator } });
    });
    afterAll(() => harness.close());

    for (const first of [7, 10, 30, 500]) {
      it(`walks ${expected.length} tie-heavy rows with first: ${first}, each exactly once and newest first`, async () => {
        harness.resetCalls();
        const { ids, pages } = await walk(harness, first);
        expect(ids).toEqual(expected);
        expect(new Set(ids).size).toBe(logs.length);
        expect(pages).toBe(Math.ceil(expected.length / first) + (expected.length % first === 0 ? 1 : 0));
        expect(Math.max(...sentLimits(harness))).toBeLessThanOrEqual(1000);
      });
    }

    it('asks for first + ties + 1 rows, ending the window 1 ms after the tie instant', async () => {
      const page1 = await harness.query(PAGE, { first: 10 });
      harness.resetCalls();
      const page2 = await harness.query(PAGE, { first: 10, after: page1.data.emailLogs.pageInfo.endCursor });
      expect(page2.errors).toBeUndefined();
      // Page 1 ends inside the 64-row burst: the rows it returned at that instant are the tie set.
      const tieInstant = Date.parse(page1.data.emailLogs.edges[9].node.sentAt);
      const ties = page1.data.emailLogs.edges.filter((e: any) => Date.parse(e.node.sentAt) === tieInstant).length;
      expect(ties).toBe(5);
      const calls = harness.simulators.INFOBIP!.calls;
      expect(calls).toHaveLength(1);
      expect(calls[0]!.query.get('limit')).toBe(String(10 + ties + 1));
      expect(Date.parse(calls[0]!.query.get('sentUntil')!)).toBe(tieInstant + 1);
      expect(page2.data.emailLogs.edges.map((e: any) => e.node.messageId)).toEqual(expected.slice(10, 20));
    });

    it('combines a caller sentUntil with the walk (the earlier wins) and keeps it in the cursor scope', async () => {
      const until = new Date(Date.parse(logs[100]!.row.sentAt!));
      const filter = { sentUntil: until.toISOString() };
      const inWindow = expectedOrder(logs).filter((id) => {
        const time = Date.parse(logs.find((l) => l.row.messageId === id)!.row.sentAt!);
        return exclusive ? time < until.getTime() : time <= until.getTime();
      });
      harness.resetCalls();
      const { ids } = await walk(harness, 25, filter);
      expect(ids).toEqual(inWindow);
      for (const call of harness.simulators.INFOBIP!.calls) {
        expect(Date.parse(call.query.get('sentUntil')!)).toBeLessThanOrEqual(until.getTime());
      }
      const first = await harness.query(PAGE, { first: 5, filter });
      const other = await harness.query(PAGE, { first: 5, after: first.data.emailLogs.pageInfo.endCursor });
      expect(other.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    });

    it('first: 0 returns no edges but says whether logs exist', async () => {
      const response = await harness.query(PAGE, { first: 0 });
      expect(response.data.emailLogs.edges).toEqual([]);
      expect(response.data.emailLogs.pageInfo).toMatchObject({ hasNextPage: true, endCursor: null });
    });
  });
}

describe('Infobip emailLogs beyond 1000 identical timestamps', () => {
  let harness: Harness;
  beforeAll(async () => {
    const at = new Date(Date.now() - 600_000).toISOString();
    const logs: SimulatedEmailLog[] = Array.from({ length: 1005 }, (_, i) => ({ row: { messageId: `same-${i}`, sentAt: at } }));
    logs.push({ row: { messageId: 'older', sentAt: new Date(Date.now() - 700_000).toISOString() } });
    const simulator = await startInfobipSimulator({ apiKey: 'test_infobip_key', logs, rateLimitPerMinute: 100_000 });
    harness = await startHarness({ simulators: { INFOBIP: simulator } });
  });
  afterAll(() => harness.close());

  it('pages up to 1000 rows of one instant, then fails with UPSTREAM_BAD_RESPONSE explaining the limit', async () => {
    const page1 = await harness.query(PAGE, { first: 500 });
    const page2 = await harness.query(PAGE, { first: 500, after: page1.data.emailLogs.pageInfo.endCursor });
    const ids = [...page1.data.emailLogs.edges, ...page2.data.emailLogs.edges].map((e: any) => e.node.messageId);
    expect(ids).toEqual(Array.from({ length: 1000 }, (_, i) => `same-${i}`));
    expect(page2.data.emailLogs.pageInfo.hasNextPage).toBe(true);
    const page3 = await harness.query(PAGE, { first: 500, after: page2.data.emailLogs.pageInfo.endCursor });
    expect(page3.data).toEqual({ emailLogs: null });
    expect(page3.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'INFOBIP' });
    expect(page3.errors![0]!.message).toMatch(/more email logs share sentAt .* narrow the filter/);
    expect(Math.max(...sentLimits(harness))).toBe(1000);
  });
});

describe('Infobip emailLogs cursors a client forged (the default cursor key is public)', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ providers: ['INFOBIP'] });
  });
  afterAll(() => harness.close());

  // Found by test/properties.test.ts: an instant past what a Date holds made the walk's
  // `sentUntil` an Invalid Date, and toISOString threw (INTERNAL_SERVER_ERROR).
  it.each([
    ['an instant past the Date range', [8_640_000_000_000_001, []]],
    ['an instant that is not a whole millisecond', [Date.now() - 1.5, []]],
    ['more ids at one instant than one request returns', [Date.now() - 60_000, Array.from({ length: 1001 }, (_, i) => `m${i}`)]],
  ])('%s is BAD_USER_INPUT, without asking Infobip', async (_name, position) => {
    harness.resetCalls();
    const res = await harness.query(PAGE, { first: 3, after: encodeCursor('emailLogs', {}, position) });
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(harness.simulators.INFOBIP!.calls).toHaveLength(0);
  });
});
