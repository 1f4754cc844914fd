import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import type { RunningSimulator } from '../src/providers/simulatorServer.js';
import { it } from './support/fixtures.js';
import type { Harness } from './support/harness.js';
import { startRedis, type TestRedis } from './support/redis.js';

const KEY = 'mgma_sk_live_redis_test_4e7a91c3b5';
const IDS = migmaDemoData().campaigns.map((c) => c.id);
const DETAIL = (id: string) => `{ campaignByProviderId(provider: MIGMA, providerId: "${id}") { name stats { sent } } }`;

async function everythingInRedis(redis: TestRedis): Promise<string[]> {
  const out: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      out.push(key);
      const type = await redis.client.type(key);
      if (type === 'string') out.push((await redis.client.get(key)) ?? '');
      if (type === 'hash') out.push(JSON.stringify(await redis.client.hgetall(key)));
      if (type === 'zset') out.push(JSON.stringify(await redis.client.zrange(key, '0', '-1', 'WITHSCORES')));
    }
  } while (cursor !== '0');
  return out;
}

async function ready(h: Harness): Promise<{ status: number; body: any }> {
  const response = await fetch(h.url.replace('/graphql', '/ready'));
  return { status: response.status, body: await response.json() };
}

describe('the cache and quotas in Redis, shared by instances', () => {
  let redis: TestRedis;
  let migma: RunningSimulator;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());
  beforeEach(async () => {
    await redis.client.flushall();
    migma = await startMigmaSimulator({ apiKey: KEY, rateLimitPerMinute: 10_000 });
  });
  const env = (extra: Record<string, string> = {}) => ({ REDIS_URL: redis.url, CACHE_TTL_S: '60', MIGMA_PROJECT_ID: 'proj_demo', ...extra });

  it('two instances share the cache: what one fetched costs the other nothing', async ({ startHarness }) => {
    const a = await startHarness({ simulators: { MIGMA: migma }, env: env() });
    const b = await startHarness({ simulators: { MIGMA: migma }, env: env() });
    const first = await a.query(DETAIL(IDS[4]!));
    expect(first.errors).toBeUndefined();
    expect(migma.calls).toHaveLength(2);
    const second = await b.query(DETAIL(IDS[4]!));
    expect(second.data).toEqual(first.data);
    expect(migma.calls).toHaveLength(2);
    const keys = await redis.client.keys('cg:v1:*');
    expect(keys.filter((k) => k.includes(':MIGMA:campaign:'))).toHaveLength(1);
    expect(keys.filter((k) => k.includes(':MIGMA:campaignStats:'))).toHaveLength(1);
  });

  it('two instances share one quota: together they send no more than the budget', async ({ startHarness }) => {
    const a = await startHarness({ simulators: { MIGMA: migma }, env: env({ CACHE_TTL_S: '0', MIGMA_RATE_LIMIT_PER_MINUTE: '4', UPSTREAM_QUEUE_MS: '0' }) });
    const b = await startHarness({ simulators: { MIGMA: migma }, env: env({ CACHE_TTL_S: '0', MIGMA_RATE_LIMIT_PER_MINUTE: '4', UPSTREAM_QUEUE_MS: '0' }) });
    const lookups = (ids: string[]) => `{ ${ids.map((id, i) => `c${i}: campaignByProviderId(provider: MIGMA, providerId: "${id}") { providerId }`).join(' ')} }`;
    const fromA = await a.query(lookups(IDS.slice(0, 3)));
    const fromB = await b.query(lookups(IDS.slice(3, 6)));
    expect(fromA.errors).toBeUndefined();
    expect(fromB.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED', 'UPSTREAM_RATE_LIMITED']);
    expect(migma.calls).toHaveLength(4);
    expect((await ready(b)).body.providers.MIGMA.quota).toEqual({ perMinute: 4, used: 4, remaining: 0 });
  });

  it('a gateway with another key on the same Redis never sees the first one\'s data; no key or value holds an API key', async ({ startHarness }) => {
    const a = await startHarness({ simulators: { MIGMA: migma }, env: env({ MIGMA_RATE_LIMIT_PER_MINUTE: '100' }) });
    expect((await a.query(DETAIL(IDS[5]!))).errors).toBeUndefined();
    await a.query(`{ campaigns(first: 5) { edges { node { id } } } }`);
    const other = await startHarness({
      simulators: {},
      env: { ...env(), MIGMA_API_KEY: 'mgma_sk_live_someone_else_0000', MIGMA_BASE_URL: migma.url },
    });
    const res = await other.query(DETAIL(IDS[5]!));
    expect(res.data.campaignByProviderId).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', provider: 'MIGMA' });
    const stored = await everythingInRedis(redis);
    expect(stored.length).toBeGreaterThan(4);
    for (const text of stored) {
      expect(text).not.toContain(KEY);
      expect(text).not.toContain('someone_else');
      // no piece of the key either
      for (let i = 0; i + 8 <= KEY.length; i += 4) expect(text).not.toContain(KEY.slice(i, i + 8));
    }
  });

  it('Redis killed mid-test: answers go on from memory, /ready says so; restarted: shared again', async ({ startHarness }) => {
    const a = await startHarness({ simulators: { MIGMA: migma }, env: env() });
    expect((await ready(a)).body.redis).toEqual({ configured: true, state: 'ready' });
    await a.query(DETAIL(IDS[6]!));
    await redis.kill();
    const started = Date.now();
    const during = await a.query(DETAIL(IDS[7]!));
    expect(during.errors).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2000);
    const readiness = await ready(a);
    expect(readiness.status).toBe(200);
    expect(readiness.body.redis.state).not.toBe('ready');
    // The memory cache serves what was fetched while Redis was away.
    const callsBefore = migma.calls.length;
    await a.query(DETAIL(IDS[7]!));
    expect(migma.calls.length).toBe(callsBefore);

    await redis.restart();
    const deadline = Date.now() + 10_000;
    while ((await ready(a)).body.redis.state !== 'ready') {
      if (Date.now() > deadline) throw new Error('the gateway did not reconnect to Redis');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    await a.query(DETAIL(IDS[8]!));
    expect((await redis.client.keys('cg:v1:*')).length).toBeGreaterThan(0);
  });
});
