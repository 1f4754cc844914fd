import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { migmaDemoData, migmaDemoLogRows, type MigmaSimulatorData } from '../src/providers/migma/demoData.js';
import type { MigmaLogRow } from '../src/providers/migma/wire.js';
import { startHarness, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const LOGS = (args: string) => /* GraphQL */ `query($after: String) {
  campaignByProviderId(provider: MIGMA, providerId: "cmp_250") {
    recipientLogs(after: $after, ${args}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { toEmail status createdAt } } }
  } }`;

/** One campaign with exactly 250 log rows (newest first), next to the demo project. */
function dataWith250Rows(): { data: MigmaSimulatorData; rows: MigmaLogRow[] } {
  const demo = migmaDemoData();
  const rows = migmaDemoLogRows('cmp_250', 'Two hundred and fifty', '2026-10-01T09:00:00Z', 250, 0x250);
  demo.campaigns.push({ id: 'cmp_250', projectId: 'proj_demo', name: '250 rows', subject: 'Two hundred and fifty', status: 'sent', estimatedRecipients: 250 });
  demo.logs.cmp_250 = rows;
  return { data: demo, rows };
}

describe('Migma recipientLogs', () => {
  let harness: Harness;
  let rows: MigmaLogRow[];
  beforeAll(async () => {
    const built = dataWith250Rows();
    rows = built.rows;
    harness = await startHarness({
      simulators: { MIGMA: await startMigmaSimulator({ apiKey: 'test_migma_key', data: built.data, rateLimitPerMinute: 1000 }) },
      env: { MIGMA_PROJECT_ID: 'proj_demo' },
    });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());
  const logCalls = () => harness.simulators.MIGMA!.calls.filter((c) => c.path === '/v1/campaigns/cmp_250/logs');

  it('maps the snake_case rows to the contract’s fields', async () => {
    const res = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_spring_launch") {
      recipientLogs(first: 100) { edges { node {
        toEmail subject status openedAt clickedAt openCount clickCount bounceType complaintType createdAt } } } } }`);
    expect(res.errors).toBeUndefined();
    const nodes = res.data.campaignByProviderId.recipientLogs.edges.map((e: any) => e.node);
    const upstream = migmaDemoData().logs.cmp_mg_spring_launch!.slice(0, 100);
    expect(nodes).toEqual(
      upstream.map((r) => ({
        toEmail: r.to_email,
        subject: r.subject,
        status: r.status,
        openedAt: r.opened_at ?? null,
        clickedAt: r.clicked_at ?? null,
        openCount: r.open_count,
        clickCount: r.click_count,
        bounceType: r.bounce_type ?? null,
        complaintType: r.complaint_type ?? null,
        createdAt: r.created_at,
      })),
    );
    const clicked = nodes.find((n: any) => n.status === 'clicked');
    expect(clicked.clickCount).toBeGreaterThan(0);
    expect(clicked.clickedAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(nodes.find((n: any) => n.status === 'bounced').bounceType).toMatch(/^(hard|soft)$/);
    // Newest first, as Migma returns them.
    const times = nodes.map((n: any) => Date.parse(n.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
  });

  it('serves first: 250 with three upstream pages and no total', async () => {
    const res = await harness.query(LOGS('first: 250'));
    expect(res.errors).toBeUndefined();
    const logs = res.data.campaignByProviderId.recipientLogs;
    expect(logs.edges.map((e: any) => e.node.toEmail)).toEqual(rows.map((r) => r.to_email));
    expect(logs.totalCount).toBeNull();
    // Migma's hasMore on the third page already says nothing follows: no fourth call.
    expect(logs.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
    expect(logCalls().map((c) => c.query.get('limit'))).toEqual(['100', '100', '50']);
    expect(logCalls().map((c) => c.query.get('cursor') !== null)).toEqual([false, true, true]);

    // After the last row: nothing, and no call.
    harness.resetCalls();
    const after = await harness.query(LOGS('first: 10'), { after: logs.pageInfo.endCursor });
    expect(after.data.campaignByProviderId.recipientLogs.edges).toEqual([]);
    expect(after.data.campaignByProviderId.recipientLogs.pageInfo.hasNextPage).toBe(false);
    expect(logCalls()).toHaveLength(0);
  });

  it('walks first: 40 over 250 rows: every row exactly once, newest first, one call per page', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const res: any = await harness.query(LOGS('first: 40'), { after });
      expect(res.errors).toBeUndefined();
      const logs = res.data.campaignByProviderId.recipientLogs;
      pages++;
      expect(logs.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...logs.edges.map((e: any) => e.node.toEmail));
      if (!logs.pageInfo.hasNextPage) break;
      after = logs.pageInfo.endCursor;
      expect(pages).toBeLessThan(10);
    }
    expect(pages).toBe(7);
    expect(seen).toEqual(rows.map((r) => r.to_email));
    expect(new Set(seen).size).toBe(250);
    expect(logCalls()).toHaveLength(7);
  });

  it('resumes from any edge’s cursor, also in the middle of an upstream page', async () => {
    const all = (await harness.query(LOGS('first: 250'))).data.campaignByProviderId.recipientLogs.edges;
    harness.resetCalls();
    // Edge 149 sits mid-way through Migma's second 100-row page.
    const mid = await harness.query(LOGS('first: 30'), { after: all[149].cursor });
    expect(mid.data.campaignByProviderId.recipientLogs.edges.map((e: any) => e.node.toEmail)).toEqual(
      rows.slice(150, 180).map((r) => r.to_email),
    );
    expect(mid.data.campaignByProviderId.recipientLogs.pageInfo.hasNextPage).toBe(true);
    expect(logCalls()).toHaveLength(1);
    expect(logCalls()[0]!.query.get('limit')).toBe('80');

    // Across an upstream page end: rows 190..219 need the rest of page 2 and the start of page 3.
    harness.resetCalls();
    const across = await harness.query(LOGS('first: 30'), { after: all[189].cursor });
    expect(across.data.campaignByProviderId.recipientLogs.edges.map((e: any) => e.node.toEmail)).toEqual(
      rows.slice(190, 220).map((r) => r.to_email),
    );
    expect(logCalls()).toHaveLength(2);

    // The cursor of a page's last row points at the next upstream page: one call, no skipping.
    harness.resetCalls();
    const boundary = await harness.query(LOGS('first: 5'), { after: all[99].cursor });
    expect(boundary.data.campaignByProviderId.recipientLogs.edges[0].node.toEmail).toBe(rows[100]!.to_email);
    expect(logCalls().map((c) => c.query.get('limit'))).toEqual(['5']);
  });

  it('knows hasNextPage from a page that ends on an upstream page end without an extra call', async () => {
    const res = await harness.query(LOGS('first: 100'));
    expect(res.data.campaignByProviderId.recipientLogs.pageInfo.hasNextPage).toBe(true);
    expect(logCalls()).toHaveLength(1);
  });

  it('answers first: 0 with no edges and whether rows exist', async () => {
    const res = await harness.query(LOGS('first: 0'));
    expect(res.data.campaignByProviderId.recipientLogs.edges).toEqual([]);
    expect(res.data.campaignByProviderId.recipientLogs.pageInfo).toMatchObject({ hasNextPage: true, endCursor: null });
  });

  it('maps the status filter to Migma’s values and walks the filtered rows', async () => {
    const expected: Record<string, [string, string]> = {
      DELIVERED: ['delivered', 'delivered'],
      OPENED: ['opened', 'opened'],
      CLICKED: ['clicked', 'clicked'],
      BOUNCED: ['bounced', 'bounced'],
      SPAM_REPORT: ['spam_report', 'complained'],
    };
    for (const [ours, [upstream, rowStatus]] of Object.entries(expected)) {
      harness.resetCalls();
      const res = await harness.query(LOGS(`first: 500, status: ${ours}`));
      expect(res.errors).toBeUndefined();
      const statuses = res.data.campaignByProviderId.recipientLogs.edges.map((e: any) => e.node.status);
      const want = rows.filter((r) => r.status === rowStatus).length;
      expect(want).toBeGreaterThan(0);
      expect(statuses).toEqual(Array(want).fill(rowStatus));
      expect(logCalls()[0]!.query.get('status')).toBe(upstream);
    }

    harness.resetCalls();
    const spam = rows.filter((r) => r.status === 'complained').map((r) => r.to_email);
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const res: any = await harness.query(LOGS('first: 3, status: SPAM_REPORT'), { after });
      const logs = res.data.campaignByProviderId.recipientLogs;
      seen.push(...logs.edges.map((e: any) => e.node.toEmail));
      if (!logs.pageInfo.hasNextPage) break;
      after = logs.pageInfo.endCursor;
    }
    expect(seen).toEqual(spam);
  });

  it('rejects garbage, tampered and foreign cursors, and first out of range, as BAD_USER_INPUT', async () => {
    const first = await harness.query(LOGS('first: 5'));
    const cursor: string = first.data.campaignByProviderId.recipientLogs.pageInfo.endCursor;
    const campaignsCursor = (await harness.query(`{ campaigns(first: 1, filter: { providers: [MIGMA] }) { pageInfo { endCursor } } }`)).data
      .campaigns.pageInfo.endCursor;
    const otherCampaign = (
      await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_spring_launch") {
        recipientLogs(first: 1) { pageInfo { endCursor } } } }`)
    ).data.campaignByProviderId.recipientLogs.pageInfo.endCursor;
    harness.resetCalls();
    const cases: Array<[string, string | null]> = [
      ['first: 5', 'garbage'],
      ['first: 5', `${cursor.slice(0, -2)}xx`],
      ['first: 5, status: OPENED', cursor],
      ['first: 5', campaignsCursor],
      ['first: 5', otherCampaign],
      ['first: 501', null],
      ['first: -1', null],
    ];
    for (const [args, after] of cases) {
      const res = await harness.query(LOGS(args), { after });
      expect(res.errors?.[0]?.extensions?.code, `${args} ${after}`).toBe('BAD_USER_INPUT');
      expect(res.data.campaignByProviderId).toEqual({ recipientLogs: null });
    }
    expect(logCalls()).toHaveLength(0);
  });

  it('resolves RecipientLog.campaign to the parent without a call, and dedupes repeated windows', async () => {
    const res = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_250") {
      a: recipientLogs(first: 3) { edges { node { toEmail campaign { providerId name } } } }
      b: recipientLogs(first: 3) { edges { node { toEmail } } } } }`);
    expect(res.errors).toBeUndefined();
    const a = res.data.campaignByProviderId.a.edges;
    expect(a.map((e: any) => e.node.campaign)).toEqual(Array(3).fill({ providerId: 'cmp_250', name: '250 rows' }));
    expect(res.data.campaignByProviderId.b.edges.map((e: any) => e.node.toEmail)).toEqual(a.map((e: any) => e.node.toEmail));
    const sim = harness.simulators.MIGMA!;
    expect(sim.count('/v1/campaigns/cmp_250')).toBe(1);
    expect(logCalls()).toHaveLength(1);
  });

  it('lists logs of listed campaigns with one logs call each', async () => {
    const res = await harness.query(`{ campaigns(first: 3, filter: { providers: [MIGMA], status: [SENDING] }) { edges { node {
      providerId recipientLogs(first: 2) { edges { node { campaign { providerId } } } } } } } }`);
    expect(res.errors).toBeUndefined();
    for (const edge of res.data.campaigns.edges) {
      expect(edge.node.recipientLogs.edges.map((e: any) => e.node.campaign.providerId)).toEqual([edge.node.providerId, edge.node.providerId]);
    }
    const sim = harness.simulators.MIGMA!;
    expect(sim.count(/\/logs$/)).toBe(3);
    expect(sim.count(/^\/v1\/campaigns\/[^/]+$/)).toBe(0);
  });

  it('is null with an upstream error when Migma fails, and null without one on a 404', async () => {
    harness.simulators.MIGMA!.inject({
      match: (r) => r.path.endsWith('/logs'),
      status: 503,
      body: { success: false, error: 'Tracking worker unavailable', code: 'SERVICE_UNAVAILABLE' },
      times: 3, // the first try and two retries
    });
    const failed = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_250") { name recipientLogs { edges { cursor } } } }`);
    expect(failed.data.campaignByProviderId).toEqual({ name: '250 rows', recipientLogs: null });
    expect(failed.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'MIGMA', upstreamStatus: 503 });

    harness.simulators.MIGMA!.inject({
      match: (r) => r.path.endsWith('/logs'),
      status: 404,
      body: { success: false, error: 'Campaign not found', code: 'NOT_FOUND' },
    });
    const gone = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_250") { name recipientLogs { edges { cursor } } } }`);
    expect(gone.errors).toBeUndefined();
    expect(gone.data.campaignByProviderId).toEqual({ name: '250 rows', recipientLogs: null });

    harness.simulators.MIGMA!.inject({
      match: (r) => r.path.endsWith('/logs'),
      status: 200,
      body: { success: true, data: { emails: [{ status: 'sent' }], nextCursor: null, hasMore: false } },
    });
    const bad = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_250") { recipientLogs { edges { cursor } } } }`);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'MIGMA' });

    // A row whose created_at is no timestamp is refused too (the reader checks it without making a Date).
    harness.simulators.MIGMA!.inject({
      match: (r) => r.path.endsWith('/logs'),
      status: 200,
      body: { success: true, data: { emails: [{ ...rows[0], created_at: 'yesterday' }], nextCursor: null, hasMore: false } },
    });
    const undated = await harness.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_250") { recipientLogs { edges { cursor } } } }`);
    expect(undated.data.campaignByProviderId).toEqual({ recipientLogs: null });
    expect(undated.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'MIGMA' });
  });
});

describe('Migma simulator', () => {
  it('serves demo logs of every status, accepts `complained` for spam_report and checks limit and cursor', async ({ closeAfter }) => {
    const sim = closeAfter(await startMigmaSimulator({ apiKey: 'k' }));
    const get = async (path: string, key = 'k') => {
      const response = await fetch(sim.url + path, { headers: { authorization: `Bearer ${key}` } });
      return { status: response.status, body: (await response.json()) as any };
    };
    const spring = migmaDemoData().logs.cmp_mg_spring_launch!;
    expect(spring.length).toBeGreaterThanOrEqual(300);
    expect(new Set(spring.map((r) => r.status))).toEqual(
      new Set(['delivered', 'opened', 'clicked', 'bounced', 'complained', 'suppressed', 'sent']),
    );
    const viaSdk = await get('/v1/campaigns/cmp_mg_spring_launch/logs?limit=100&status=complained');
    const viaDocs = await get('/v1/campaigns/cmp_mg_spring_launch/logs?limit=100&status=spam_report');
    expect(viaSdk.body.data.emails.length).toBeGreaterThan(0);
    expect(viaSdk.body).toEqual(viaDocs.body);
    expect((await get('/v1/campaigns/cmp_mg_spring_launch/logs?limit=101')).body).toMatchObject({ success: false, code: 'VALIDATION_ERROR' });
    expect((await get('/v1/campaigns/cmp_mg_spring_launch/logs?cursor=zzz')).status).toBe(400);
    expect((await get('/v1/campaigns/cmp_mg_spring_launch/logs', 'wrong')).body).toEqual({
      success: false,
      error: 'Invalid API key',
      code: 'UNAUTHORIZED',
    });
    expect((await get('/v1/campaigns')).body.code).toBe('VALIDATION_ERROR');
  });
});
