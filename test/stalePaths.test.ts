import { describe, expect } from 'vitest';
import { it } from './support/fixtures.js';
import type { Harness } from './support/harness.js';

/**
 * Which fields `extensions.stale` names when the stale answers were served inside DataLoader
 * batches (src/providers/attributedLoader.ts): each field whose key a stale answer served, not the
 * first field of the batch. Real HTTP against the simulators; the cache is warmed, the TTL (1 s)
 * passes, then faults make some calls fail so that their cached answers stand in.
 */

interface StaleEntry {
  path: Array<string | number>;
  provider: string;
  route: string;
  ageSeconds: number;
  asOf: string;
}

const ENV = { CACHE_TTL_S: '1', CACHE_STALE_S: '60', UPSTREAM_RETRIES: '0', MIGMA_PROJECT_ID: 'proj_demo' };
const LIST = /* GraphQL */ `{ campaigns(first: 30) { edges { node { id provider providerId name stats { sent } } } } }`;
const MIGMA_STATS = 'GET /v1/campaigns/:id/stats';

type Node = { id: string; provider: string; providerId: string; name: string; stats: { sent: number | null } | null };

const statsPath = (index: number) => ['campaigns', 'edges', index, 'node', 'stats'];
const byPath = (a: StaleEntry, b: StaleEntry) => JSON.stringify(a.path).localeCompare(JSON.stringify(b.path));

/** Waits past the 1 s TTL of every answer the warm-up stored. */
const pastTtl = () => new Promise((resolve) => setTimeout(resolve, 1150));

/** Each entry is as old as the warm-up, within the stale window. */
function expectAged(entries: StaleEntry[], warmedAt: number) {
  for (const entry of entries) {
    expect(entry.ageSeconds, JSON.stringify(entry.path)).toBeGreaterThanOrEqual(1);
    expect(entry.ageSeconds).toBeLessThan(10);
    const asOf = Date.parse(entry.asOf);
    expect(asOf).toBeGreaterThanOrEqual(warmedAt - 50);
    expect(Date.now() - asOf).toBeGreaterThanOrEqual(1000);
  }
}

async function warm(h: Harness, query: string): Promise<{ nodes: Node[]; warmedAt: number; data: unknown }> {
  const warmedAt = Date.now();
  const fresh = await h.query(query);
  expect(fresh.errors).toBeUndefined();
  expect(fresh.extensions?.stale).toBeUndefined();
  return { nodes: fresh.data.campaigns?.edges.map((e: { node: Node }) => e.node) ?? [], warmedAt, data: fresh.data };
}

describe('extensions.stale inside DataLoader batches names every field a stale answer served', () => {
  it('a Migma list page: the N campaigns whose stats calls failed are the N stale paths, the fresh ones are not named', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: ENV });
    const { nodes, warmedAt, data } = await warm(h, LIST);
    expect(nodes.length).toBeGreaterThanOrEqual(8);
    // Four campaigns spread over the page, not the first (the old bug named edge 0 for all of them).
    const failing = [1, 3, 4, nodes.length - 1];
    const failingIds = new Set(failing.map((i) => nodes[i]!.providerId));
    await pastTtl();
    h.simulators.MIGMA!.inject({ route: MIGMA_STATS, match: (r) => failingIds.has(r.path.split('/')[3]!), status: 503, body: { success: false, error: 'down' }, times: Infinity });
    h.resetCalls();

    const stale = await h.query(LIST);
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(data);
    // Every stats call was made (one per campaign, in one batch), four of them failed.
    expect(h.simulators.MIGMA!.count(/\/stats$/)).toBe(nodes.length);
    const entries = (stale.extensions!.stale as StaleEntry[]).sort(byPath);
    expect(entries.map((e) => e.path)).toEqual(failing.map(statsPath).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
    for (const entry of entries) expect([entry.provider, entry.route]).toEqual(['MIGMA', MIGMA_STATS]);
    expectAged(entries, warmedAt);
  });

  it('Migma and Dripcel on one page: the failed Migma stats calls and every Dripcel stats field the one failed batched search served', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL'], env: ENV });
    const { nodes, warmedAt, data } = await warm(h, LIST);
    const migma = nodes.flatMap((n, i) => (n.provider === 'MIGMA' ? [i] : []));
    const dripcel = nodes.flatMap((n, i) => (n.provider === 'DRIPCEL' ? [i] : []));
    expect(migma.length).toBeGreaterThanOrEqual(3);
    expect(dripcel.length).toBeGreaterThanOrEqual(2);
    const failingMigma = [migma[1]!, migma.at(-1)!];
    const failingIds = new Set(failingMigma.map((i) => nodes[i]!.providerId));
    await pastTtl();
    h.simulators.MIGMA!.inject({ route: MIGMA_STATS, match: (r) => failingIds.has(r.path.split('/')[3]!), status: 503, body: { success: false, error: 'down' }, times: Infinity });
    h.simulators.DRIPCEL!.inject({ route: 'POST /send-logs/search', status: 503, body: { ok: false, error: 'down' }, times: Infinity });
    h.resetCalls();

    const stale = await h.query(LIST);
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(data);
    // Dripcel's stats of the whole page come from searches naming many campaigns at once.
    const searches = h.simulators.DRIPCEL!.calls.filter((c) => c.path === '/send-logs/search');
    expect(searches.length).toBeGreaterThanOrEqual(1);
    expect(searches.length).toBeLessThan(dripcel.length);
    const entries = stale.extensions!.stale as StaleEntry[];
    const expected = [
      ...failingMigma.map((i) => [JSON.stringify(statsPath(i)), 'MIGMA', MIGMA_STATS]),
      ...dripcel.map((i) => [JSON.stringify(statsPath(i)), 'DRIPCEL', 'POST /send-logs/search']),
    ].sort();
    expect(entries.map((e) => [JSON.stringify(e.path), e.provider, e.route]).sort()).toEqual(expected);
    expectAged(entries, warmedAt);
  });

  it('one campaign\'s stats asked by two aliases and a nested field (one deduplicated key, one call): all three paths are named', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: ENV });
    const query = /* GraphQL */ `{
      a: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") {
        stats { sent }
        recipientLogs(first: 1) { edges { node { campaign { stats { sent } } } } }
      }
      b: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name stats { sent } }
      c: campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_october_nl") { stats { sent } }
    }`;
    const { warmedAt, data } = await warm(h, query);
    await pastTtl();
    h.simulators.MIGMA!.inject({ route: MIGMA_STATS, match: (r) => r.path.includes('cmp_mg_webinar'), status: 503, body: { success: false, error: 'down' }, times: Infinity });
    h.resetCalls();

    const stale = await h.query(query);
    expect(stale.errors).toBeUndefined();
    expect(stale.data).toEqual(data);
    // One stats call per distinct campaign: the three fields asking for the webinar's share one.
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar/stats')).toBe(1);
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_october_nl/stats')).toBe(1);
    const entries = (stale.extensions!.stale as StaleEntry[]).sort(byPath);
    expect(entries.map((e) => e.path)).toEqual(
      [['a', 'recipientLogs', 'edges', 0, 'node', 'campaign', 'stats'], ['a', 'stats'], ['b', 'stats']].sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
    );
    for (const entry of entries) expect([entry.provider, entry.route]).toEqual(['MIGMA', MIGMA_STATS]);
    expectAged(entries, warmedAt);
    // All three are the one answer: the same age.
    expect(new Set(entries.map((e) => e.asOf)).size).toBe(1);
  });
});
