import { describe, expect, it } from 'vitest';
import { cachePolicy, CacheStage } from '../src/http/cacheStage.js';
import { CallLedger, withLedger } from '../src/http/callLedger.js';
import { callKey } from '../src/http/callKey.js';
import { InFlightStage } from '../src/http/inflightStage.js';
import type { CallNext, UpstreamCall, UpstreamResult } from '../src/http/pipeline.js';
import { QuotaStage } from '../src/http/quotaStage.js';
import { route } from '../src/http/route.js';
import { UpstreamFailure } from '../src/http/upstreamFailure.js';
import { MemoryCacheStore } from '../src/store/cacheStore.js';
import { MemoryQuotaStore } from '../src/store/quotaStore.js';

const lookup = route({ name: 'campaign', call: 'GET /campaigns/:id', kind: 'campaign', notFoundAsNull: true, read: (d) => d });
const list = route({
  name: 'list',
  call: 'GET /campaigns',
  kind: 'campaignList',
  read: (d) => d as Array<{ id: string }>,
  primes: (items) => items.map((item) => ({ route: lookup, params: { id: item.id }, data: item })),
});
const search = route({ name: 'search', call: 'POST /search', kind: 'logPage', read: (d) => d });

function call(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return { provider: 'TEST', route: lookup, method: 'GET', path: '/campaigns/c1', query: [], scope: 'k1', idempotent: true, attempt: 1, ...overrides };
}

function counting(answer: () => Promise<UpstreamResult | null> | UpstreamResult | null) {
  let calls = 0;
  const next: CallNext = async () => {
    calls++;
    return answer();
  };
  return { next, calls: () => calls };
}

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

const result = (data: unknown): UpstreamResult => ({ status: 200, data, headers: {} });

describe('callKey', () => {
  it('is the same for the same call in any query order, differs by scope, route, path, query and body, and holds no key', () => {
    const base = { provider: 'TEST', scope: 'hash', route: lookup, path: '/campaigns/c1', query: [['a', '1'], ['b', '2']] as const };
    expect(callKey(base)).toBe(callKey({ ...base, query: [['b', '2'], ['a', '1']] }));
    const variants = [
      { ...base, scope: 'other' },
      { ...base, route: list },
      { ...base, path: '/campaigns/c2' },
      { ...base, query: [['a', '2']] as const },
      { ...base, body: { x: 1 } },
    ];
    for (const variant of variants) expect(callKey(variant)).not.toBe(callKey(base));
    expect(callKey(base)).toMatch(/^cg:v1:hash:TEST:campaign:[\w-]+$/);
    expect(callKey(base)).not.toContain('c1');
  });
});

describe('CacheStage', () => {
  const policy = cachePolicy(60, 3600);

  it('answers a repeated call from the cache within the TTL and calls again after it', async () => {
    const time = clock();
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), policy, time.now);
    const upstream = counting(() => result({ id: 'c1', name: 'A' }));
    await stage.handle(call(), upstream.next);
    time.advance(59_000);
    await expect(stage.handle(call(), upstream.next)).resolves.toMatchObject({ data: { id: 'c1', name: 'A' } });
    expect(upstream.calls()).toBe(1);
    time.advance(2_000);
    await stage.handle(call(), upstream.next);
    expect(upstream.calls()).toBe(2);
  });

  it('each kind has its TTL, capped at CACHE_TTL_S; 0 caches nothing', () => {
    expect(cachePolicy(60, 0).ttlMs).toMatchObject({ campaign: 60_000, campaignList: 30_000, logItem: 60_000 });
    expect(cachePolicy(10, 0).ttlMs).toMatchObject({ campaign: 10_000, campaignList: 10_000 });
    expect(Object.values(cachePolicy(0, 0).ttlMs)).toEqual([0, 0, 0, 0, 0]);
  });

  it('never stores failures, and never caches non-idempotent calls', async () => {
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), policy);
    const failing = counting(() => {
      throw new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'down');
    });
    await expect(stage.handle(call(), failing.next)).rejects.toThrow('down');
    await expect(stage.handle(call(), failing.next)).rejects.toThrow('down');
    expect(failing.calls()).toBe(2);
    const post = counting(() => result([]));
    await stage.handle(call({ route: search, method: 'POST', idempotent: false }), post.next);
    await stage.handle(call({ route: search, method: 'POST', idempotent: false }), post.next);
    expect(post.calls()).toBe(2);
  });

  it('a not-found answer is cached for at most 15 s', async () => {
    const time = clock();
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), policy, time.now);
    const missing = counting(() => null);
    await expect(stage.handle(call(), missing.next)).resolves.toBeNull();
    time.advance(14_000);
    await expect(stage.handle(call(), missing.next)).resolves.toMatchObject({ data: null });
    time.advance(2_000);
    await stage.handle(call(), missing.next);
    expect(missing.calls()).toBe(2);
  });

  it('serves a stale answer when the provider fails, records it in the ledger, and not past the stale window', async () => {
    const time = clock();
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), cachePolicy(60, 600), time.now);
    await stage.handle(call(), counting(() => result({ id: 'c1' })).next);
    const storedAt = time.now();
    time.advance(120_000);
    for (const code of ['UPSTREAM_UNAVAILABLE', 'UPSTREAM_TIMEOUT', 'UPSTREAM_RATE_LIMITED'] as const) {
      const ledger = new CallLedger();
      const down = counting(() => {
        throw new UpstreamFailure(code, 'TEST', code);
      });
      await expect(withLedger(ledger, () => stage.handle(call(), down.next))).resolves.toMatchObject({ data: { id: 'c1' } });
      expect(ledger.stale).toEqual([{ provider: 'TEST', route: 'GET /campaigns/:id', storedAt, path: null }]);
    }
    const refused = counting(() => {
      throw new UpstreamFailure('UPSTREAM_UNAUTHORIZED', 'TEST', 'revoked');
    });
    await expect(stage.handle(call(), refused.next)).rejects.toThrow('revoked');
    time.advance(600_000);
    const down = counting(() => {
      throw new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'down');
    });
    await expect(stage.handle(call(), down.next)).rejects.toThrow('down');
  });

  it('a list stores the lookups of its items', async () => {
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), policy);
    await stage.handle(call({ route: list, path: '/campaigns' }), counting(() => result([{ id: 'c1' }, { id: 'c2' }])).next);
    const upstream = counting(() => result({ id: 'c2', fresh: true }));
    await expect(stage.handle(call({ path: '/campaigns/c2' }), upstream.next)).resolves.toMatchObject({ data: { id: 'c2' } });
    expect(upstream.calls()).toBe(0);
  });

  it('the memory store evicts the least recently used entries past its bounds', async () => {
    const store = new MemoryCacheStore({ maxEntries: 2, maxBytes: 1e6 });
    for (const key of ['a', 'b', 'c']) await store.set(key, { data: key, storedAt: 0 }, 60_000);
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(2);
    const small = new MemoryCacheStore({ maxEntries: 100, maxBytes: 50 });
    await small.set('big1', { data: 'x'.repeat(30), storedAt: 0 }, 60_000);
    await small.set('big2', { data: 'y'.repeat(30), storedAt: 0 }, 60_000);
    expect(await small.get('big1')).toBeUndefined();
    expect(small.bytes).toBeLessThanOrEqual(50);
  });
});

describe('InFlightStage', () => {
  it('identical concurrent calls share one upstream call; different ones do not', async () => {
    const stage = new InFlightStage();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const upstream = counting(async () => {
      await gate;
      return result({ id: 'c1' });
    });
    const ledger = new CallLedger();
    const answers = withLedger(ledger, () => Promise.all([1, 2, 3].map(() => stage.handle(call(), upstream.next))));
    const other = stage.handle(call({ path: '/campaigns/c2' }), upstream.next);
    release();
    expect(await answers).toEqual([result({ id: 'c1' }), result({ id: 'c1' }), result({ id: 'c1' })]);
    await other;
    expect(upstream.calls()).toBe(2);
    expect(ledger.sharedCalls).toBe(2);
    expect(stage.size).toBe(0);
  });

  it('a caller that leaves is cancelled at once; the shared call is aborted only when all have left', async () => {
    const stage = new InFlightStage();
    const signals: AbortSignal[] = [];
    let release!: () => void;
    const upstream: CallNext = (c) =>
      new Promise((resolve) => {
        signals.push(c.signal!);
        release = () => resolve(result('done'));
      });
    const a = new AbortController();
    const b = new AbortController();
    const first = stage.handle(call({ signal: a.signal }), upstream);
    const second = stage.handle(call({ signal: b.signal }), upstream);
    a.abort();
    await expect(first).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', local: true });
    expect(signals[0]!.aborted).toBe(false);
    release();
    await expect(second).resolves.toEqual(result('done'));

    const c = new AbortController();
    const lonely = stage.handle(call({ signal: c.signal, path: '/campaigns/c9' }), upstream);
    c.abort();
    await expect(lonely).rejects.toThrow(/cancelled/);
    expect(signals[1]!.aborted).toBe(true);
  });
});

describe('QuotaStage and the sliding budget', () => {
  function quota(perMinute: number, queueMs: number) {
    const time = clock();
    const store = new MemoryQuotaStore(time.now);
    const waits: number[] = [];
    const stage = new QuotaStage(store, { perMinute, queueMs }, async (ms) => {
      waits.push(ms);
      time.advance(ms);
    }, time.now);
    return { stage, store, time, waits };
  }

  it('takes one call per attempt and holds over any 60 seconds, not per clock minute', async () => {
    const { stage, time, waits } = quota(3, 0);
    const upstream = counting(() => result('ok'));
    await stage.handle(call(), upstream.next);
    time.advance(30_000);
    await stage.handle(call(), upstream.next);
    await stage.handle(call(), upstream.next);
    // Full: a fourth call now fails at once, retryAfter = until the first call leaves the window.
    await expect(stage.handle(call(), upstream.next)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 30, local: true });
    time.advance(30_000);
    await stage.handle(call(), upstream.next);
    // The two calls at +30 s are still in the window: no burst allowance on top.
    await expect(stage.handle(call(), upstream.next)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED' });
    expect(upstream.calls()).toBe(4);
    expect(waits).toEqual([]);
  });

  it('waits for room up to UPSTREAM_QUEUE_MS', async () => {
    const { stage, time, waits } = quota(1, 5_000);
    const upstream = counting(() => result('ok'));
    await stage.handle(call(), upstream.next);
    time.advance(57_000);
    await stage.handle(call(), upstream.next);
    expect(waits).toEqual([3_000]);
    await expect(stage.handle(call(), upstream.next)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 60 });
    expect(upstream.calls()).toBe(2);
  });

  it("a provider's remaining-calls header and its 429 tighten the budget", async () => {
    const time = clock();
    const store = new MemoryQuotaStore(time.now);
    // The provider counts calls of other clients of the key too: after our second call it says none are left.
    let said = 2;
    const stage = new QuotaStage(store, { perMinute: 100, queueMs: 0, readHint: () => ({ remaining: --said, resetInMs: 20_000 }) }, async () => undefined, time.now);
    const upstream = counting(() => result('ok'));
    await stage.handle(call(), upstream.next);
    await stage.handle(call(), upstream.next);
    await expect(stage.handle(call(), upstream.next)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 20 });
    time.advance(20_000);
    await stage.handle(call(), upstream.next);

    const limited = new QuotaStage(new MemoryQuotaStore(time.now), { perMinute: 100, queueMs: 0 }, async () => undefined, time.now);
    const provider429 = counting(() => {
      throw new UpstreamFailure('UPSTREAM_RATE_LIMITED', 'TEST', '429', { retryAfter: 7 });
    });
    await expect(limited.handle(call(), provider429.next)).rejects.toMatchObject({ local: false });
    await expect(limited.handle(call(), provider429.next)).rejects.toMatchObject({ local: true, retryAfter: 7 });
    expect(provider429.calls()).toBe(1);
  });
});
