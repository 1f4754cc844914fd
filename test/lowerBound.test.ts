import { describe, expect } from 'vitest';
import { it } from './support/fixtures.js';

/**
 * The upstream calls of docs/performance.md's representative queries, against the lowest the
 * providers' APIs allow: a regression in loaders or paging shows here as a number.
 */
const CASES: Array<{ name: string; query: string; calls: Record<string, number>; lowerBound: number }> = [
  {
    name: 'dashboard: 30 campaigns with stats over three providers',
    query: '{ campaigns(first: 30) { edges { node { name stats { sent openRate } } } } }',
    // Migma: its list + 11 stats (no batch API); Dripcel: its list + one search for every campaign's derived stats; EmailSendX: stats ride on the list.
    calls: { MIGMA: 12, DRIPCEL: 2, EMAILSENDX: 1 },
    lowerBound: 15,
  },
  {
    name: 'detail page: one Migma campaign with stats and 50 recipient logs',
    query: '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name stats { sent } recipientLogs(first: 50) { edges { node { toEmail } } } } }',
    calls: { MIGMA: 3 },
    lowerBound: 3,
  },
  {
    name: 'the Mesh scenario: one Migma campaign\'s stats and 50 recipient logs, nothing else of it',
    query: '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { stats { sent } recipientLogs(first: 50) { edges { node { toEmail } } } } }',
    // The logs call proves the campaign exists (its 404 would answer null): no lookup.
    calls: { MIGMA: 2 },
    lowerBound: 2,
  },
  {
    name: 'Migma log walk: 250 recipient logs of a campaign',
    query: '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_spring_launch") { recipientLogs(first: 250) { edges { node { toEmail } } } } }',
    // pages of at most 100 (the API's maximum): 100 + 100 + 50; the first proves the campaign
    calls: { MIGMA: 3 },
    lowerBound: 3,
  },
  {
    name: 'Dripcel: every campaign with its first 10 send logs and stats',
    query: '{ campaigns(first: 50, filter: { providers: [DRIPCEL] }) { edges { node { name stats { sent } sendLogs(first: 10) { edges { node { startDeliveryAt } } } } } } }',
    calls: { DRIPCEL: 2 },
    lowerBound: 2,
  },
  {
    name: 'Infobip: 500 email logs',
    query: '{ emailLogs(first: 500) { edges { node { messageId } } } }',
    calls: { INFOBIP: 1 },
    lowerBound: 1,
  },
  {
    name: 'cross-provider list: 100 campaigns, no stats',
    query: '{ campaigns(first: 100) { edges { node { provider name } } } }',
    // Migma's 11, Dripcel's 8 and EmailSendX's first 81 (one page of up to 100)
    calls: { MIGMA: 1, DRIPCEL: 1, EMAILSENDX: 1 },
    lowerBound: 3,
  },
];

describe('upstream calls of representative queries, at the lower bound the APIs allow', () => {
  for (const example of CASES) {
    it(example.name, async ({ startHarness }) => {
      const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
      const res = await h.query(example.query);
      expect(res.errors).toBeUndefined();
      const calls = Object.fromEntries(Object.entries(h.simulators).map(([name, s]) => [name, s!.calls.length]).filter(([, n]) => n !== 0));
      expect(calls).toEqual(example.calls);
      expect(Object.values(calls as Record<string, number>).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(example.lowerBound);
    });
  }
});
