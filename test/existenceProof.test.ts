import { describe, expect } from 'vitest';
import { it } from './support/fixtures.js';

/**
 * A lookup whose selection reads only a campaign's keys, stats and logs proves the campaign by
 * its logs call (Migma answers 404 for the logs of an unknown campaign) instead of looking it up.
 */
describe('campaign lookups proven by their logs call', () => {
  const STATS_AND_LOGS = `query ($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) {
    id providerId stats { sent } recipientLogs(first: 5) { edges { node { toEmail } } pageInfo { hasNextPage } } } }`;

  it('costs the stats and logs calls only, with the same answer', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const res = await h.query(STATS_AND_LOGS, { id: 'cmp_mg_webinar' });
    expect(res.errors).toBeUndefined();
    expect(res.data.campaignByProviderId.providerId).toBe('cmp_mg_webinar');
    expect(res.data.campaignByProviderId.stats.sent).toBeGreaterThan(0);
    expect(res.data.campaignByProviderId.recipientLogs.edges).toHaveLength(5);
    expect(h.simulators.MIGMA!.calls.map((c) => c.path).sort()).toEqual(['/v1/campaigns/cmp_mg_webinar/logs', '/v1/campaigns/cmp_mg_webinar/stats']);
  });

  it('answers null for an unknown campaign, as the lookup would', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const res = await h.query(STATS_AND_LOGS, { id: 'cmp_no_such_campaign' });
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ campaignByProviderId: null });
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_no_such_campaign')).toBe(0);
  });

  it('looks the campaign up when a record field is selected, also through a fragment', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const res = await h.query(
      `query ($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) { ...F recipientLogs(first: 2) { edges { node { toEmail } } } } }
       fragment F on Campaign { ... on Campaign { name } }`,
      { id: 'cmp_mg_webinar' },
    );
    expect(res.errors).toBeUndefined();
    expect(typeof res.data.campaignByProviderId.name).toBe('string');
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar')).toBe(1);
  });

  it('a log row\'s campaign still carries the record (a reference is never primed as the lookup)', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const res = await h.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") {
      recipientLogs(first: 2) { edges { node { campaign { name } } } } } }`);
    expect(res.errors).toBeUndefined();
    const names = res.data.campaignByProviderId.recipientLogs.edges.map((e: any) => e.node.campaign.name);
    expect(names[0]).toEqual(expect.any(String));
    expect(names[0]!.length).toBeGreaterThan(0);
    expect(names[1]).toBe(names[0]);
  });

  it('from a cursor it looks the campaign up (a read from a cursor may make no call)', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const first = await h.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { recipientLogs(first: 2) { pageInfo { endCursor } } } }`);
    const after = first.data.campaignByProviderId.recipientLogs.pageInfo.endCursor;
    h.resetCalls();
    const res = await h.query(
      `query ($after: String) { campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { recipientLogs(first: 2, after: $after) { edges { node { toEmail } } } } }`,
      { after },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data.campaignByProviderId.recipientLogs.edges).toHaveLength(2);
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar')).toBe(1);
  });

  it('a failing logs call costs the logs field only: the lookup answers for the campaign', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    h.simulators.MIGMA!.inject({ match: (r) => r.path.endsWith('/logs'), status: 500, body: { success: false, error: 'boom' }, times: Infinity });
    const res = await h.query(STATS_AND_LOGS, { id: 'cmp_mg_webinar' });
    expect(res.data.campaignByProviderId.providerId).toBe('cmp_mg_webinar');
    expect(res.data.campaignByProviderId.stats.sent).toBeGreaterThan(0);
    expect(res.data.campaignByProviderId.recipientLogs).toBeNull();
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['campaignByProviderId', 'recipientLogs']);
    expect(res.errors![0]!.extensions!.code).toBe('UPSTREAM_UNAVAILABLE');
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar')).toBe(1);
  });

  it('bad logs arguments land on the logs field, not on the campaign', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'] });
    const res = await h.query(`{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { providerId recipientLogs(first: 100000) { edges { node { toEmail } } } } }`);
    expect(res.data.campaignByProviderId.providerId).toBe('cmp_mg_webinar');
    expect(res.errors![0]!.path).toEqual(['campaignByProviderId', 'recipientLogs']);
    expect(res.errors![0]!.extensions!.code).toBe('BAD_USER_INPUT');
  });
});
