import { afterAll, beforeAll, describe, expect } from 'vitest';
import { startInfobipSimulator } from '../src/providers/infobip/simulator.js';
import { infobipDemoLogs, type SimulatedEmailLog } from '../src/providers/infobip/demoData.js';
import { startHarness, type GraphQLResponse, type Harness } from './support/harness.js';
import { it } from './support/fixtures.js';

const LOGS = /* GraphQL */ `
  query Logs($first: Int, $after: String, $filter: EmailLogFilter) {
    emailLogs(first: $first, after: $after, filter: $filter) {
      pageInfo { hasNextPage endCursor }
      edges {
        cursor
        node {
          id messageId bulkId applicationId entityId to from text sentAt doneAt messageCount
          price { pricePerMessage currency }
          status { groupId groupName id name description action }
          error { groupId groupName id name description permanent }
        }
      }
    }
  }
`;

const CAMPAIGN = /* GraphQL */ `
  query Campaign($ref: String!, $first: Int) {
    campaignByProviderId(provider: INFOBIP, providerId: $ref) {
      id provider providerId name subject status providerStatus sentAt createdAt totalRecipients
      stats { source sent delivered bounces opens deliveryRate bounceRate openRate lastUpdated }
      emailLogs(first: $first) {
        pageInfo { hasNextPage }
        edges { node { messageId campaign { providerId } } }
      }
    }
  }
`;

const time = (log: SimulatedEmailLog) => Date.parse(log.row.sentAt!.replace(/\+0000$/, 'Z'));

/** The demo logs in the simulator's order: newest first, ties in insertion order. */
function newestFirst(logs: SimulatedEmailLog[]): SimulatedEmailLog[] {
  return logs.map((log, index) => ({ log, index })).sort((a, b) => time(b.log) - time(a.log) || a.index - b.index).map((x) => x.log);
}

describe('Infobip provider over real HTTP against the simulator', () => {
  const logs = infobipDemoLogs(Date.now());
  const ordered = newestFirst(logs);
  let harness: Harness;
  const simulator = () => harness.simulators.INFOBIP!;
  const limits = () => simulator().calls.map((call) => Number(call.query.get('limit')));

  beforeAll(async () => {
    const infobip = await startInfobipSimulator({ apiKey: 'test_infobip_key', logs, rateLimitPerMinute: 100_000 });
    harness = await startHarness({ providers: ['EMAILSENDX'], simulators: { INFOBIP: infobip } });
  });
  afterAll(() => harness.close());

  it('walks all ~3000 demo logs with first: 500, each exactly once and newest first, never asking for more than 1000', async () => {
    harness.resetCalls();
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const response: GraphQLResponse = await harness.query(`query($after: String) { emailLogs(first: 500, after: $after) { pageInfo { hasNextPage endCursor } edges { node { messageId } } } }`, { after });
      expect(response.errors).toBeUndefined();
      ids.push(...response.data.emailLogs.edges.map((e: any) => e.node.messageId));
      after = response.data.emailLogs.pageInfo.hasNextPage ? response.data.emailLogs.pageInfo.endCursor : null;
    } while (after);
    expect(ids).toEqual(ordered.map((log) => log.row.messageId));
    expect(ids.length).toBe(logs.length);
    // One upstream request per page of 500.
    expect(simulator().count('/email/1/logs')).toBe(Math.ceil(logs.length / 500));
    expect(Math.max(...limits())).toBeLessThanOrEqual(1000);
    for (const call of simulator().calls) expect(call.headers.authorization).toBe('App test_infobip_key');
  });

  it('maps every field of a log, with price, status and error objects', async () => {
    const failed = ordered.find((log) => log.row.status?.groupName === 'UNDELIVERABLE' && log.row.price && log.row.text && log.row.applicationId && log.row.entityId)!;
    const response = await harness.query(LOGS, { filter: { messageId: failed.row.messageId } });
    expect(response.errors).toBeUndefined();
    const node = response.data.emailLogs.edges[0].node;
    expect(node).toEqual({
      id: expect.any(String),
      messageId: failed.row.messageId,
      bulkId: failed.row.bulkId,
      applicationId: failed.row.applicationId,
      entityId: failed.row.entityId,
      to: failed.row.to,
      from: failed.row.from,
      text: failed.row.text,
      sentAt: new Date(time(failed)).toISOString(),
      doneAt: new Date(Date.parse(failed.row.doneAt!.replace(/\+0000$/, 'Z'))).toISOString(),
      messageCount: 1,
      price: { pricePerMessage: 0.0008, currency: 'EUR' },
      status: { groupId: 2, groupName: 'UNDELIVERABLE', id: 4, name: 'UNDELIVERABLE_NOT_DELIVERED', description: 'Message sent not delivered', action: 'Check the recipient address' },
      error: { groupId: 1, groupName: 'HANDSET_ERRORS', id: 5005, name: 'EC_MAILBOX_UNAVAILABLE', description: 'The recipient mailbox does not exist', permanent: true },
    });
    const sparse = ordered.find((log) => !log.row.price && !log.row.text && !log.row.applicationId)!;
    const pending = ordered.find((log) => log.row.status?.groupName === 'PENDING')!;
    const sparseNode = (await harness.query(LOGS, { filter: { messageId: sparse.row.messageId } })).data.emailLogs.edges[0].node;
    expect(sparseNode).toMatchObject({ messageId: sparse.row.messageId, price: null, text: null, applicationId: null });
    const pendingNode = (await harness.query(LOGS, { filter: { messageId: pending.row.messageId } })).data.emailLogs.edges[0].node;
    expect(pendingNode).toMatchObject({ doneAt: null, error: null, status: { groupId: 1, groupName: 'PENDING' } });
  });

  it('reads both timestamp forms (...123Z and ...440+0000) and writes ISO 8601 UTC', async () => {
    const plus = ordered.find((log) => log.row.sentAt!.endsWith('+0000'))!;
    const zulu = ordered.find((log) => log.row.sentAt!.endsWith('Z'))!;
    for (const log of [plus, zulu]) {
      const response = await harness.query(LOGS, { filter: { messageId: log.row.messageId } });
      const node = response.data.emailLogs.edges[0].node;
      expect(node.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      expect(node.sentAt).toBe(new Date(time(log)).toISOString());
    }
    expect(plus.row.sentAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}\+0000$/);
  });

  it('passes every filter as its documented query parameter and returns what matches', async () => {
    const sample = ordered.find((log) => log.campaignReferenceId === 'weekly-digest-47' && log.row.applicationId && log.row.entityId)!;
    const since = new Date(time(sample) - 3_600_000);
    const until = new Date(time(sample) + 1);
    const filter = {
      messageId: sample.row.messageId,
      from: sample.row.from,
      to: sample.row.to,
      bulkId: sample.row.bulkId,
      campaignReferenceId: 'weekly-digest-47',
      generalStatus: sample.row.status!.groupName,
      sentSince: since.toISOString(),
      sentUntil: until.toISOString(),
      applicationId: sample.row.applicationId,
      entityId: sample.row.entityId,
    };
    harness.resetCalls();
    const response = await harness.query(LOGS, { filter });
    expect(response.errors).toBeUndefined();
    expect(response.data.emailLogs.edges.map((e: any) => e.node.messageId)).toEqual([sample.row.messageId]);
    const query = simulator().calls[0]!.query;
    for (const [name, value] of Object.entries(filter)) {
      if (name === 'sentSince' || name === 'sentUntil') expect(Date.parse(query.get(name)!)).toBe(Date.parse(value!));
      else expect(query.get(name)).toBe(value);
    }
  });

  it('narrows by each filter on its own', async () => {
    const bulkId = ordered[100]!.row.bulkId!;
    const cases: Array<[Record<string, string>, (log: SimulatedEmailLog) => boolean]> = [
      [{ bulkId }, (log) => log.row.bulkId === bulkId],
      [{ campaignReferenceId: 'winback-q4' }, (log) => log.campaignReferenceId === 'winback-q4'],
      [{ generalStatus: 'REJECTED' }, (log) => log.row.status?.groupName === 'REJECTED'],
      [{ from: 'Acme Accounts <no-reply@acme.example>' }, (log) => log.row.from === 'Acme Accounts <no-reply@acme.example>'],
      [{ applicationId: 'transactional-app' }, (log) => log.row.applicationId === 'transactional-app'],
      [{ entityId: 'entity-weekly' }, (log) => log.row.entityId === 'entity-weekly'],
      [{ to: ordered[5]!.row.to! }, (log) => log.row.to === ordered[5]!.row.to],
    ];
    for (const [filter, matches] of cases) {
      const expected = ordered.filter(matches).slice(0, 500).map((log) => log.row.messageId);
      expect(expected.length).toBeGreaterThan(0);
      const response = await harness.query(LOGS, { first: 500, filter });
      expect(response.errors).toBeUndefined();
      expect(response.data.emailLogs.edges.map((e: any) => e.node.messageId)).toEqual(expected);
    }
  });

  it('rejects a window older than 48 hours with BAD_USER_INPUT naming the retention, without calling Infobip', async () => {
    harness.resetCalls();
    for (const name of ['sentSince', 'sentUntil']) {
      const old = new Date(Date.now() - 49 * 3_600_000).toISOString();
      const response = await harness.query(LOGS, { filter: { [name]: old } });
      expect(response.data).toEqual({ emailLogs: null });
      expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
      expect(response.errors![0]!.message).toContain('Infobip keeps email logs for 48 hours');
    }
    const reversed = await harness.query(LOGS, { filter: { sentSince: new Date(Date.now() - 3_600_000).toISOString(), sentUntil: new Date(Date.now() - 7_200_000).toISOString() } });
    expect(reversed.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    expect(simulator().count('/email/1/logs')).toBe(0);
  });

  it('campaignByProviderId is a Campaign while the reference has logs (one limit=1 call), null otherwise', async () => {
    harness.resetCalls();
    const response = await harness.query(`query { campaignByProviderId(provider: INFOBIP, providerId: "winback-q4") { id provider providerId name subject status providerStatus sentAt createdAt totalRecipients } }`);
    expect(response.errors).toBeUndefined();
    const newest = ordered.find((log) => log.campaignReferenceId === 'winback-q4')!;
    expect(response.data.campaignByProviderId).toMatchObject({
      provider: 'INFOBIP',
      providerId: 'winback-q4',
      name: null,
      subject: null,
      status: newest.row.status?.groupName === 'PENDING' ? 'SENDING' : 'SENT',
      providerStatus: null,
      sentAt: new Date(time(newest)).toISOString(),
      createdAt: null,
      totalRecipients: null,
    });
    expect(simulator().calls.map((c) => [c.query.get('campaignReferenceId'), c.query.get('limit')])).toEqual([['winback-q4', '1']]);

    const byId = await harness.query(`query($id: ID!) { campaign(id: $id) { providerId } node(id: $id) { id ... on Campaign { providerId } } }`, { id: response.data.campaignByProviderId.id });
    expect(byId.data).toEqual({ campaign: { providerId: 'winback-q4' }, node: { id: response.data.campaignByProviderId.id, providerId: 'winback-q4' } });

    harness.resetCalls();
    const missing = await harness.query(`query { campaignByProviderId(provider: INFOBIP, providerId: "no-such-ref") { id } }`);
    expect(missing).toMatchObject({ data: { campaignByProviderId: null } });
    expect(missing.errors).toBeUndefined();
    expect(simulator().count('/email/1/logs')).toBe(1);
  });

  it('derives stats from every log of the reference in one walk per request', async () => {
    const mine = logs.filter((log) => log.campaignReferenceId === 'black-friday-2026');
    const delivered = mine.filter((log) => log.row.status?.groupName === 'DELIVERED').length;
    const bounces = mine.filter((log) => ['UNDELIVERABLE', 'REJECTED'].includes(log.row.status!.groupName!)).length;
    harness.resetCalls();
    const response = await harness.query(`query {
      a: campaignByProviderId(provider: INFOBIP, providerId: "black-friday-2026") { stats { source sent delivered bounces opens deliveryRate bounceRate openRate } }
      b: campaignByProviderId(provider: INFOBIP, providerId: "black-friday-2026") { stats { sent } }
    }`);
    expect(response.errors).toBeUndefined();
    expect(mine.length).toBe(1300);
    expect(response.data.a.stats).toEqual({
      source: 'DERIVED',
      sent: 1300,
      delivered,
      bounces,
      opens: null,
      deliveryRate: delivered / 1300,
      bounceRate: bounces / 1300,
      openRate: null,
    });
    expect(response.data.b.stats.sent).toBe(1300);
    // One existence call, then 1300 logs in two pages of at most 1000.
    expect(simulator().count('/email/1/logs')).toBe(3);
    expect(limits().sort()).toEqual(['1', '1000', '1000'].map(Number).sort());
  });

  it('Campaign.emailLogs lists the reference logs; EmailLog.campaign points back; node(id) finds a log by messageId', async () => {
    const mine = ordered.filter((log) => log.campaignReferenceId === 'onboarding-day-3');
    const response = await harness.query(CAMPAIGN, { ref: 'onboarding-day-3', first: 50 });
    expect(response.errors).toBeUndefined();
    const connection = response.data.campaignByProviderId.emailLogs;
    expect(connection.edges.map((e: any) => e.node.messageId)).toEqual(mine.slice(0, 50).map((l) => l.row.messageId));
    expect(connection.edges.every((e: any) => e.node.campaign.providerId === 'onboarding-day-3')).toBe(true);
    expect(connection.pageInfo.hasNextPage).toBe(true);

    const first = await harness.query(LOGS, { first: 1 });
    const { id, messageId } = first.data.emailLogs.edges[0].node;
    harness.resetCalls();
    const node = await harness.query(`query($id: ID!) { node(id: $id) { id ... on EmailLog { messageId to campaign { id } } } }`, { id });
    expect(node.data.node).toEqual({ id, messageId, to: ordered[0]!.row.to, campaign: null });
    expect(simulator().calls.map((c) => c.query.get('messageId'))).toEqual([messageId]);

    const entities = await harness.query(`query($r: [_Any!]!) { _entities(representations: $r) { ... on EmailLog { messageId } } }`, {
      r: [{ __typename: 'EmailLog', id }],
    });
    expect(entities.data).toEqual({ _entities: [{ messageId }] });

    const gone = await harness.query(`query($id: ID!) { node(id: $id) { id } }`, { id: Buffer.from('EmailLog:INFOBIP:msg-none').toString('base64url') });
    expect(gone.errors).toBeUndefined();
    expect(gone.data.node).toBeNull();
  });

  it('a list by campaignReferenceId from the top primes the campaign: EmailLog.campaign costs no extra call', async () => {
    const newest = ordered.find((log) => log.campaignReferenceId === 'winback-q4')!;
    harness.resetCalls();
    const response = await harness.query(`query { emailLogs(first: 5, filter: { campaignReferenceId: "winback-q4" }) { edges { node { campaign { providerId sentAt } } } } }`);
    expect(response.errors).toBeUndefined();
    for (const edge of response.data.emailLogs.edges) {
      expect(edge.node.campaign).toEqual({ providerId: 'winback-q4', sentAt: new Date(time(newest)).toISOString() });
    }
    expect(simulator().count('/email/1/logs')).toBe(1);
  });

  it('Infobip is never listed in campaigns, and emailLogs is null on other providers\' campaigns', async () => {
    harness.resetCalls();
    const response = await harness.query(`query { campaigns(first: 100) { edges { node { provider emailLogs { edges { cursor } } } } } }`);
    expect(response.errors).toBeUndefined();
    const providers = new Set(response.data.campaigns.edges.map((e: any) => e.node.provider));
    expect([...providers]).toEqual(['EMAILSENDX']);
    expect(response.data.campaigns.edges.every((e: any) => e.node.emailLogs === null)).toBe(true);
    expect(simulator().count('/email/1/logs')).toBe(0);
  });

  it('rejects foreign, tampered and out-of-range paging arguments with BAD_USER_INPUT', async () => {
    const fromCampaign = await harness.query(CAMPAIGN, { ref: 'winback-q4', first: 1 });
    expect(fromCampaign.errors).toBeUndefined();
    const page = await harness.query(LOGS, { first: 2 });
    const cursor: string = page.data.emailLogs.pageInfo.endCursor;
    const tries = [
      { first: 2, after: cursor, filter: { bulkId: 'x' } },
      { first: 2, after: `${cursor.slice(0, -2)}xx` },
      { first: 2, after: 'garbage' },
      { first: 501 },
      { first: -1 },
    ];
    for (const variables of tries) {
      const response = await harness.query(LOGS, variables);
      expect(response.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
    }
  });
});

describe('Infobip errors', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await startHarness({ providers: ['INFOBIP'] });
  });
  afterAll(() => harness.close());

  const query = `query { emailLogs(first: 1) { edges { node { messageId } } } }`;

  it('maps the newer error body ({errorCode, description}) to the contract codes with upstreamCode', async () => {
    const simulator = harness.simulators.INFOBIP!;
    simulator.inject({ status: 503, body: { errorCode: 'E503', description: 'Service unavailable', action: '', violations: [], resources: [] }, times: 3 });
    const unavailable = await harness.query(query);
    expect(unavailable.data).toEqual({ emailLogs: null });
    expect(unavailable.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'INFOBIP', upstreamStatus: 503, upstreamCode: 'E503' });
    expect(unavailable.errors![0]!.message).toContain('Service unavailable');

    simulator.inject({ status: 400, body: { errorCode: 'E400', description: 'Bad request', violations: [{ property: 'sentSince', violation: 'must be a date-time' }], resources: [] } });
    const bad = await harness.query(query);
    expect(bad.errors![0]!.extensions).toMatchObject({ code: 'BAD_USER_INPUT', upstreamCode: 'E400', upstreamStatus: 400 });
    expect(bad.errors![0]!.message).toContain('sentSince must be a date-time');
  });

  it('maps the legacy error body ({requestError: {serviceException}}) too', async () => {
    harness.simulators.INFOBIP!.inject({ status: 500, body: { requestError: { serviceException: { messageId: 'GENERAL_ERROR', text: 'Something went wrong' } } }, times: 3 });
    const response = await harness.query(query);
    expect(response.errors![0]!.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'INFOBIP', upstreamStatus: 500, upstreamCode: 'GENERAL_ERROR' });
    expect(response.errors![0]!.message).toContain('Something went wrong');
  });

  it('a 200 without a results array is UPSTREAM_BAD_RESPONSE', async () => {
    harness.simulators.INFOBIP!.inject({ status: 200, body: { logs: [] } });
    const response = await harness.query(query);
    expect(response.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_BAD_RESPONSE', provider: 'INFOBIP' });
  });

  it('names the missing variables when Infobip is not configured', async ({ startHarness }) => {
    const gateway = await startHarness({ providers: ['EMAILSENDX'] });
    const response = await gateway.query(query);
    expect(response.errors![0]!.extensions!.code).toBe('PROVIDER_NOT_CONFIGURED');
    expect(response.errors![0]!.message).toContain('INFOBIP_API_KEY');
  });
});
