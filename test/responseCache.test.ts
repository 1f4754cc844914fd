import { afterEach, describe, expect, vi } from 'vitest';
import { resolvers } from '../src/resolvers/index.js';
import { it } from './support/fixtures.js';

const DETAIL = /* GraphQL */ `query Detail($id: String!) { campaignByProviderId(provider: MIGMA, providerId: $id) { name stats { sent } } }`;

describe('the response cache', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the same operation with the same variables is answered without executing; other variables execute', async ({ startHarness }) => {
    const spy = vi.spyOn(resolvers.Query as Record<string, (...args: unknown[]) => unknown>, 'campaignByProviderId');
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '60' } });
    const first = await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    const second = await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(second.data).toEqual(first.data);
    expect(spy).toHaveBeenCalledTimes(1);
    await h.query(DETAIL, { id: 'cmp_mg_loyalty_ab' });
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('never outlives the upstream answers it was built from', async ({ startHarness }) => {
    const spy = vi.spyOn(resolvers.Query as Record<string, (...args: unknown[]) => unknown>, 'campaignByProviderId');
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '1' } });
    await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(spy).toHaveBeenCalledTimes(1);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(spy).toHaveBeenCalledTimes(2);
    expect(h.simulators.MIGMA!.count('/v1/campaigns/cmp_mg_webinar')).toBe(2);
  });

  it('a response with an error or a stale answer is not reused', async ({ startHarness }) => {
    const spy = vi.spyOn(resolvers.Query as Record<string, (...args: unknown[]) => unknown>, 'campaignByProviderId');
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '1', CACHE_STALE_S: '60', UPSTREAM_RETRIES: '0' } });
    h.simulators.MIGMA!.inject({ match: (r) => r.path.endsWith('/stats'), status: 500, body: { success: false, error: 'x' } });
    const failed = await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(failed.errors?.[0]?.path).toEqual(['campaignByProviderId', 'stats']);
    const retried = await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(retried.errors).toBeUndefined();
    expect(spy).toHaveBeenCalledTimes(2);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    h.simulators.MIGMA!.inject({ status: 503, body: { success: false, error: 'down' }, times: 10 });
    const stale = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DETAIL, variables: { id: 'cmp_mg_webinar' } }) }).then((r) => r.json());
    expect(stale.extensions.stale).toHaveLength(2);
    await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: DETAIL, variables: { id: 'cmp_mg_webinar' } }) }).then((r) => r.json());
    expect(spy).toHaveBeenCalledTimes(4);
  });

  it('variables nested too deeply to write down are executed, not cached (found by test/properties.test.ts)', async ({ startHarness }) => {
    // JSON.stringify of the cache key ran out of stack: INTERNAL_SERVER_ERROR for any operation.
    const spy = vi.spyOn(resolvers.Query as Record<string, (...args: unknown[]) => unknown>, 'campaignByProviderId');
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '60' } });
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    for (let i = 0; i < 2; i++) {
      const response = await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: `{"query":${JSON.stringify(DETAIL)},"variables":{"id":"cmp_mg_webinar","unused":${deep}}}`,
      });
      const body = await response.json();
      expect([response.status, body.errors]).toEqual([200, undefined]);
      expect(body.data.campaignByProviderId.name).toEqual(expect.any(String));
    }
    expect(spy).toHaveBeenCalledTimes(2);
  });

  it('CACHE_TTL_S=0: every request executes', async ({ startHarness }) => {
    const spy = vi.spyOn(resolvers.Query as Record<string, (...args: unknown[]) => unknown>, 'campaignByProviderId');
    const h = await startHarness({ providers: ['MIGMA'], env: { CACHE_TTL_S: '0' } });
    await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    await h.query(DETAIL, { id: 'cmp_mg_webinar' });
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
