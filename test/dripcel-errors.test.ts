import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { dripcelDemoData } from '../src/providers/dripcel/demoData.js';
import { encodeGlobalId } from '../src/relay/globalId.js';
import { startHarness, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const data = dripcelDemoData();
const SEND_LOGS = `{ sendLogs(first: 2) { totalCount edges { node { providerId } } } }`;

describe('Dripcel errors', () => {
  let harness: Harness;
  const sim = () => harness.simulators.DRIPCEL!;

  beforeAll(async () => {
    harness = await startHarness({ providers: ['DRIPCEL'] });
  });
  afterAll(() => harness.close());
  beforeEach(() => harness.resetCalls());

  it('{ok:false, error: {code, message}} on a 5xx: UPSTREAM_UNAVAILABLE with the code as upstreamCode', async () => {
    sim().inject({ status: 503, body: { ok: false, error: { code: 'service_unavailable', message: 'Database is down' } }, times: 3 });
    const res = await harness.query(SEND_LOGS);
    expect(res.data).toEqual({ sendLogs: null }); // nullable root: the failure costs this field only
    expect(res.errors?.[0]?.message).toContain('Database is down');
    expect(res.errors?.[0]?.extensions).toMatchObject({
      code: 'UPSTREAM_UNAVAILABLE', provider: 'DRIPCEL', upstreamStatus: 503, upstreamCode: 'service_unavailable',
    });
  });

  it('{ok:false, error: "text"} is read as the message', async () => {
    sim().inject({ status: 500, body: { ok: false, error: 'Something went wrong' }, times: 3 });
    const res = await harness.query(SEND_LOGS);
    expect(res.errors?.[0]?.message).toContain('Something went wrong');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'DRIPCEL', upstreamStatus: 500 });
    expect(res.errors?.[0]?.extensions?.upstreamCode).toBeUndefined();
  });

  it('a 200 that says ok: false is UPSTREAM_BAD_RESPONSE (with its code); on a single lookup resource_not_found is null', async () => {
    sim().inject({ status: 200, body: { ok: false, error: { code: 'search_failed', message: 'Search index rebuilding' } } });
    const res = await harness.query(SEND_LOGS);
    expect(res.errors?.[0]?.message).toContain('Search index rebuilding');
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'DRIPCEL', upstreamCode: 'search_failed' });

    sim().inject({ status: 200, body: { ok: false, error: { code: 'resource_not_found', message: 'gone' } } });
    const node = await harness.query(`query ($id: ID!) { node(id: $id) { id } }`, {
      id: encodeGlobalId('SendLog', 'DRIPCEL', data.sendLogs[3]!._id),
    });
    expect(node.errors).toBeUndefined();
    expect(node.data).toEqual({ node: null });
  });

  it('a body that is not JSON, or has no send_logs, is UPSTREAM_BAD_RESPONSE', async () => {
    sim().inject({ status: 200, rawBody: '<html>maintenance</html>' });
    const html = await harness.query(SEND_LOGS);
    expect(html.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'DRIPCEL', upstreamStatus: 200 });
    sim().inject({ status: 200, body: { ok: true, data: { total: 3 } } });
    const shape = await harness.query(SEND_LOGS);
    expect(shape.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'DRIPCEL' });
  });

  it('404 on a single campaign or send log is null without error', async () => {
    const res = await harness.query(
      `query ($log: ID!, $campaign: ID!) {
        log: node(id: $log) { id }
        campaign(id: $campaign) { id }
        byProviderId: campaignByProviderId(provider: DRIPCEL, providerId: "aaaaaaaaaaaaaaaaaaaaaaaa") { id }
      }`,
      {
        log: encodeGlobalId('SendLog', 'DRIPCEL', 'bbbbbbbbbbbbbbbbbbbbbbbb'),
        campaign: encodeGlobalId('Campaign', 'DRIPCEL', 'cccccccccccccccccccccccc'),
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ log: null, campaign: null, byProviderId: null });
  });

  it('a failing batch fails only the sendLogs and stats fields; the campaigns stand (partial data)', async () => {
    sim().inject({ match: (r) => r.path === '/send-logs/search', status: 502, body: { ok: false, error: 'Bad gateway' }, times: 3 });
    const res = await harness.query(`{ campaigns(first: 3) { edges { node { name stats { sent } sendLogs(first: 2) { totalCount } } } } }`);
    expect(res.data.campaigns.edges.map((e: any) => e.node)).toEqual(
      data.campaigns.slice(0, 3).map((c) => ({ name: c.name, stats: null, sendLogs: null })),
    );
    expect(res.errors).toHaveLength(6);
    for (const error of res.errors!) expect(error.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'DRIPCEL', upstreamStatus: 502 });
    expect(sim().count('/send-logs/search')).toBe(3); // one batched search, tried three times
  });
});

describe('Dripcel configuration errors', () => {
  it('Query.sendLogs without Dripcel credentials is PROVIDER_NOT_CONFIGURED; Campaign.sendLogs elsewhere stays null', async ({ startHarness }) => {
    const harness = await startHarness({ providers: ['EMAILSENDX'] });
    const res = await harness.query(SEND_LOGS);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'PROVIDER_NOT_CONFIGURED' });
    expect(res.errors?.[0]?.message).toContain('DRIPCEL_API_KEY');
    const list = await harness.query(`{ campaigns(first: 1) { edges { node { provider sendLogs { totalCount } } } } }`);
    expect(list.errors).toBeUndefined();
    expect(list.data.campaigns.edges).toEqual([{ node: { provider: 'EMAILSENDX', sendLogs: null } }]);
  });
});
