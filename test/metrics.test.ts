import { describe, expect, it as plainIt } from 'vitest';
import { cachePolicy, CacheStage, type CacheOutcome } from '../src/http/cacheStage.js';
import { MetricsStage, type UpstreamRecorder } from '../src/http/metricsStage.js';
import { composePipeline, type CallNext, type UpstreamCall, type UpstreamResult } from '../src/http/pipeline.js';
import { QuotaStage } from '../src/http/quotaStage.js';
import { RetryStage } from '../src/http/retry.js';
import { route } from '../src/http/route.js';
import { UpstreamFailure } from '../src/http/upstreamFailure.js';
import { GatewayMetrics, MAX_OPERATION_NAMES } from '../src/metrics/gatewayMetrics.js';
import { outcomeOf } from '../src/metrics/metricsPlugin.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { MemoryCacheStore } from '../src/store/cacheStore.js';
import { MemoryQuotaStore } from '../src/store/quotaStore.js';
import { DASHBOARD, DEMO_IDS, ESX_LOOKUP, ROUTE_TEMPLATES } from './support/demoQueries.js';
import { it } from './support/fixtures.js';
import type { Harness } from './support/harness.js';
import { startRedis } from './support/redis.js';

// ---------------------------------------------------------------------------------------------
// Reading the Prometheus text

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples of `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

async function scrape(h: Harness): Promise<{ text: string; samples: Sample[]; contentType: string | null; status: number }> {
  const response = await fetch(h.url.replace(/\/graphql$/, '/metrics'));
  const text = await response.text();
  return { text, samples: parseMetrics(text), contentType: response.headers.get('content-type'), status: response.status };
}

const MIGMA_IDS = migmaDemoData().campaigns.map((c) => c.id);
const migmaLookups = (ids: string[]) =>
  `query MigmaLookups { ${ids.map((id, i) => `c${i}: campaignByProviderId(provider: MIGMA, providerId: "${id}") { providerId }`).join(' ')} }`;

// ---------------------------------------------------------------------------------------------
// Units: the metrics stage, and the recorders of the cache and quota stages

const statsRoute = route({ name: 'campaignStats', call: 'GET /v1/campaigns/:id/stats', kind: 'stats', notFoundAsNull: true, read: (d) => d });

function call(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return { provider: 'TEST', route: statsRoute, method: 'GET', path: '/v1/campaigns/cmp_secret_42/stats', query: [], scope: 'k1', idempotent: true, attempt: 1, ...overrides };
}

const ok: UpstreamResult = { status: 200, data: { sent: 1 }, headers: {} };

function recording() {
  const attempts: Array<{ provider: string; route: string; status: string; attempt: number; seconds: number }> = [];
  const recorder: UpstreamRecorder = {
    upstreamAttempt: (provider, route, status, attempt, seconds) => attempts.push({ provider, route, status, attempt, seconds }),
  };
  return { recorder, attempts };
}

function scripted(...answers: Array<UpstreamResult | null | Error>): CallNext {
  let i = 0;
  return async () => {
    const answer = answers[Math.min(i++, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
}

describe('MetricsStage', () => {
  plainIt('records each attempt by route template (never the path), status and attempt, with its duration, and passes answers on unchanged', async () => {
    const { recorder, attempts } = recording();
    let now = 0;
    const transport: CallNext = async () => {
      now += 250;
      return ok;
    };
    const stage = new MetricsStage(recorder, () => now);
    await expect(stage.handle(call(), transport)).resolves.toBe(ok);
    expect(attempts).toEqual([{ provider: 'TEST', route: 'GET /v1/campaigns/:id/stats', status: '200', attempt: 1, seconds: 0.25 }]);
    expect(JSON.stringify(attempts)).not.toContain('cmp_secret_42');
  });

  plainIt('labels failures by the HTTP status when there was one, else by why there was no answer, and rethrows them', async () => {
    const { recorder, attempts } = recording();
    const stage = new MetricsStage(recorder);
    const failures = [
      new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST 503', { upstreamStatus: 503 }),
      new UpstreamFailure('UPSTREAM_RATE_LIMITED', 'TEST', 'TEST 429', { upstreamStatus: 429, retryAfter: 1 }),
      new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'TEST', 'TEST unreadable 200', { upstreamStatus: 200 }),
      new UpstreamFailure('UPSTREAM_TIMEOUT', 'TEST', 'TEST did not answer'),
      new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST could not be reached (ECONNREFUSED)'),
      new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST call cancelled', { local: true }),
      new TypeError('a bug'),
    ];
    for (const failure of failures) await expect(stage.handle(call(), scripted(failure))).rejects.toBe(failure);
    await expect(stage.handle(call(), scripted(null))).resolves.toBeNull();
    expect(attempts.map((a) => a.status)).toEqual(['503', '429', '200', 'timeout', 'network', 'cancelled', 'error', 'not_found']);
  });

  plainIt('innermost, after the retry stage: a retried call is one record per attempt, numbered', async () => {
    const { recorder, attempts } = recording();
    const retry = new RetryStage({ retries: 2, backoffBaseMs: 1, backoffMaxMs: 1, maxRetryAfterMs: 0 }, async () => undefined);
    const pipeline = composePipeline(
      [retry, new MetricsStage(recorder)],
      scripted(new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST 503', { upstreamStatus: 503 }), ok),
    );
    await expect(pipeline(call())).resolves.toBe(ok);
    expect(attempts.map((a) => [a.status, a.attempt])).toEqual([
      ['503', 1],
      ['200', 2],
    ]);
  });
});

describe('the cache and quota stages record through a recorder, and only when given one', () => {
  plainIt('cache: miss, then hit; a failed call answered by a stale entry is a miss and a stale', async () => {
    const lookups: Array<[string, string, CacheOutcome]> = [];
    let now = 1_000_000;
    const stage = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), cachePolicy(60, 600), () => now, {
      cacheLookup: (provider, kind, outcome) => lookups.push([provider, kind, outcome]),
    });
    await stage.handle(call(), scripted(ok));
    await stage.handle(call(), scripted(ok));
    now += 61_000;
    await stage.handle(call(), scripted(new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST 503', { upstreamStatus: 503 })));
    expect(lookups).toEqual([
      ['TEST', 'stats', 'miss'],
      ['TEST', 'stats', 'hit'],
      ['TEST', 'stats', 'miss'],
      ['TEST', 'stats', 'stale'],
    ]);
    // The same stage without a recorder works the same and records nothing (there is nothing to record into).
    const bare = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), cachePolicy(60, 600));
    await expect(bare.handle(call(), scripted(ok))).resolves.toBe(ok);
  });

  plainIt('quota: a call that waited for room records how long; one that found none records a refusal', async () => {
    let now = 0;
    const events: string[] = [];
    const stage = new QuotaStage(
      new MemoryQuotaStore(() => now),
      { perMinute: 1, queueMs: 5_000 },
      async (ms) => {
        now += ms;
      },
      () => now,
      { quotaWaited: (provider, seconds) => events.push(`${provider} waited ${seconds}`), quotaRefused: (provider) => events.push(`${provider} refused`) },
    );
    await stage.handle(call(), scripted(ok));
    now += 57_000;
    await stage.handle(call(), scripted(ok));
    await expect(stage.handle(call(), scripted(ok))).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', local: true });
    expect(events).toEqual(['TEST waited 3', 'TEST refused']);
  });
});

describe('GatewayMetrics', () => {
  plainIt('operation names: a GraphQL-like name of at most 64 characters, else anonymous; past the cap, new names are other', () => {
    const metrics = new GatewayMetrics(3);
    expect(metrics.operationLabel('Dashboard')).toBe('Dashboard');
    expect(metrics.operationLabel(undefined)).toBe('anonymous');
    expect(metrics.operationLabel('')).toBe('anonymous');
    expect(metrics.operationLabel('a'.repeat(65))).toBe('anonymous');
    expect(metrics.operationLabel('drop table; --')).toBe('anonymous');
    expect(metrics.operationLabel('Two')).toBe('Two');
    expect(metrics.operationLabel('Three')).toBe('Three');
    expect(metrics.operationLabel('Four')).toBe('other');
    expect(metrics.operationLabel('Dashboard')).toBe('Dashboard');
    expect(MAX_OPERATION_NAMES).toBe(200);
  });

  plainIt('a registry per instance, each with the process metrics: two gateways in one process never mix their counts', async () => {
    const a = new GatewayMetrics();
    const b = new GatewayMetrics();
    a.upstreamAttempt('MIGMA', 'GET /v1/campaigns', '200', 1, 0.01);
    const [textA, textB] = await Promise.all([a.scrape(), b.scrape()]);
    expect(total(parseMetrics(textA), 'upstream_requests_total')).toBe(1);
    expect(total(parseMetrics(textB), 'upstream_requests_total')).toBe(0);
    for (const text of [textA, textB]) {
      expect(text).toContain('process_cpu_user_seconds_total');
      expect(text).toContain('nodejs_heap_size_used_bytes');
    }
  });

  plainIt('an outcome: ok without errors, partial with errors and some field answered, error when nothing was', () => {
    const error = { message: 'x' };
    expect(outcomeOf({ data: { a: 1 } })).toBe('ok');
    expect(outcomeOf({ data: { a: 1, b: null }, errors: [error] })).toBe('partial');
    expect(outcomeOf({ data: { a: null }, errors: [error] })).toBe('error');
    expect(outcomeOf({ errors: [error] })).toBe('error');
  });
});

// ---------------------------------------------------------------------------------------------
// Over real HTTP, against the simulators

describe('/metrics over HTTP', () => {
  it('a dashboard: upstream calls by route template and status, cache misses then hits, response-cache hits, operations; no key, no id', async ({
    startHarness,
  }) => {
    const h = await startHarness({ providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'], env: { MIGMA_PROJECT_ID: 'proj_demo', CACHE_TTL_S: '60' } });
    const first = await h.query(DASHBOARD('Dashboard'));
    expect(first.errors).toBeUndefined();
    const calls = h.simulators.MIGMA!.calls.length + h.simulators.DRIPCEL!.calls.length + h.simulators.EMAILSENDX!.calls.length;

    const after1 = await scrape(h);
    expect(after1.status).toBe(200);
    expect(after1.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const upstream = after1.samples.filter((s) => s.name === 'upstream_requests_total');
    expect(total(upstream, 'upstream_requests_total')).toBe(calls);
    expect(total(upstream, 'upstream_requests_total', { provider: 'MIGMA', route: 'GET /v1/campaigns/:id/stats', status: '200', attempt: '1' })).toBeGreaterThan(0);
    expect(total(upstream, 'upstream_requests_total', { provider: 'EMAILSENDX', route: 'GET /api/v1/campaigns', status: '200' })).toBe(1);
    for (const sample of upstream) expect(ROUTE_TEMPLATES).toContain(sample.labels.route);
    expect(total(after1.samples, 'upstream_request_duration_seconds_count', { provider: 'MIGMA', route: 'GET /v1/campaigns/:id/stats' })).toBeGreaterThan(0);
    const misses = total(after1.samples, 'cache_lookups_total', { outcome: 'miss' });
    expect(misses).toBeGreaterThan(5);
    expect(total(after1.samples, 'cache_lookups_total', { provider: 'MIGMA', kind: 'stats', outcome: 'miss' })).toBeGreaterThan(0);
    expect(total(after1.samples, 'cache_lookups_total', { outcome: 'hit' })).toBe(0);
    expect(total(after1.samples, 'response_cache_total', { outcome: 'miss' })).toBe(1);
    expect(total(after1.samples, 'graphql_operations_total', { operation: 'Dashboard', outcome: 'ok' })).toBe(1);
    expect(total(after1.samples, 'graphql_operation_duration_seconds_count', { operation: 'Dashboard' })).toBe(1);
    expect(total(after1.samples, 'circuit_state', { provider: 'MIGMA' })).toBe(0);
    expect(after1.samples.some((s) => s.name === 'redis_up')).toBe(false);

    // The same calls under another operation name: the response cache misses, the call cache answers
    // each but one. At start-up no list size was known, so EmailSendX (last in the walk) was asked
    // for the whole page at once; now its share is known and asked for: one new call, one new miss.
    h.resetCalls();
    expect((await h.query(DASHBOARD('DashboardAgain'))).errors).toBeUndefined();
    expect(h.simulators.MIGMA!.calls).toHaveLength(0);
    expect(h.simulators.DRIPCEL!.calls).toHaveLength(0);
    expect(h.simulators.EMAILSENDX!.calls.map((c) => c.path)).toEqual(['/api/v1/campaigns']);
    const after2 = await scrape(h);
    expect(total(after2.samples, 'upstream_requests_total')).toBe(calls + 1);
    expect(total(after2.samples, 'cache_lookups_total', { outcome: 'miss' })).toBe(misses + 1);
    expect(total(after2.samples, 'cache_lookups_total', { provider: 'MIGMA', kind: 'stats', outcome: 'hit' })).toBeGreaterThan(0);
    expect(total(after2.samples, 'cache_lookups_total', { outcome: 'hit' })).toBeGreaterThan(0);

    // The first operation again: a whole-response hit, nothing executed.
    expect((await h.query(DASHBOARD('Dashboard'))).errors).toBeUndefined();
    const after3 = await scrape(h);
    expect(total(after3.samples, 'response_cache_total', { outcome: 'hit' })).toBe(1);
    expect(total(after3.samples, 'response_cache_total', { outcome: 'miss' })).toBe(2);
    expect(total(after3.samples, 'graphql_operations_total', { operation: 'Dashboard', outcome: 'ok' })).toBe(2);
    expect(total(after3.samples, 'graphql_operations_total', { operation: 'DashboardAgain', outcome: 'ok' })).toBe(1);

    // Nothing secret, nothing unbounded: no key, no provider id, no concrete path.
    for (const simulator of Object.values(h.simulators)) expect(after3.text).not.toContain(simulator!.apiKey);
    for (const id of DEMO_IDS) expect(after3.text).not.toContain(id);
    expect(after3.text).not.toMatch(/route="[^"]*\/(cmp|clx)_/);
  });

  it('an injected 503 and a dropped connection: one record per attempt, numbered 1, 2, 3', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 503, body: { error: 'maintenance' } });
    sim.inject({ hangUp: true });
    expect((await h.query(ESX_LOOKUP)).errors).toBeUndefined();
    const { samples } = await scrape(h);
    const route = 'GET /api/v1/campaigns';
    expect(total(samples, 'upstream_requests_total', { provider: 'EMAILSENDX', route, status: '503', attempt: '1' })).toBe(1);
    expect(total(samples, 'upstream_requests_total', { provider: 'EMAILSENDX', route, status: 'network', attempt: '2' })).toBe(1);
    expect(total(samples, 'upstream_requests_total', { provider: 'EMAILSENDX', route, status: '200', attempt: '3' })).toBe(1);
    expect(total(samples, 'upstream_requests_total')).toBe(3);
    expect(total(samples, 'graphql_operations_total', { operation: 'Lookup', outcome: 'ok' })).toBe(1);
  });

  it('a spent quota: the refusal is counted (and reaches no provider), quota_remaining says 0, the operation is partial', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: { MIGMA_RATE_LIMIT_PER_MINUTE: '2', UPSTREAM_QUEUE_MS: '0' } });
    const before = await scrape(h);
    expect(total(before.samples, 'quota_remaining', { provider: 'MIGMA' })).toBe(2);
    expect(total(before.samples, 'quota_limit_per_minute', { provider: 'MIGMA' })).toBe(2);
    const res = await h.query(migmaLookups(MIGMA_IDS.slice(0, 3)));
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED']);
    const { samples } = await scrape(h);
    expect(total(samples, 'quota_refusals_total', { provider: 'MIGMA' })).toBe(1);
    expect(total(samples, 'quota_waits_total', { provider: 'MIGMA' })).toBe(0);
    expect(total(samples, 'quota_remaining', { provider: 'MIGMA' })).toBe(0);
    expect(total(samples, 'upstream_requests_total', { provider: 'MIGMA' })).toBe(2);
    expect(total(samples, 'graphql_operations_total', { operation: 'MigmaLookups', outcome: 'partial' })).toBe(1);
  });

  it('circuit_state: 0 while closed, 2 once failures in a row open it; an operation with nothing answered is an error', async ({ startHarness }) => {
    const h = await startHarness({
      providers: ['EMAILSENDX'],
      env: { UPSTREAM_RETRIES: '0', UPSTREAM_CIRCUIT_THRESHOLD: '1', UPSTREAM_CIRCUIT_COOLDOWN_MS: '60000' },
    });
    expect(total((await scrape(h)).samples, 'circuit_state', { provider: 'EMAILSENDX' })).toBe(0);
    h.simulators.EMAILSENDX!.inject({ status: 502, body: { error: 'down' } });
    expect((await h.query(ESX_LOOKUP)).errors?.[0]?.extensions?.upstreamStatus).toBe(502);
    expect((await h.query(ESX_LOOKUP)).errors?.[0]?.message).toContain('circuit is open');
    const { samples } = await scrape(h);
    expect(total(samples, 'circuit_state', { provider: 'EMAILSENDX' })).toBe(2);
    // The open circuit's refusal reached no provider: one attempt only.
    expect(total(samples, 'upstream_requests_total', { provider: 'EMAILSENDX', status: '502', attempt: '1' })).toBe(1);
    expect(total(samples, 'upstream_requests_total')).toBe(1);
    expect(total(samples, 'graphql_operations_total', { operation: 'Lookup', outcome: 'error' })).toBe(2);
  });

  it('operations without a usable name are anonymous, including requests refused before execution', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_API_TOKENS: 'metrics-test-token' } });
    const auth = { authorization: 'Bearer metrics-test-token' };
    expect((await h.query('{ __typename }', undefined, auth)).errors).toBeUndefined();
    expect((await h.query(`query ${'N'.repeat(70)} { __typename }`, undefined, auth)).errors).toBeUndefined();
    expect((await h.query('query Named { __typename }', undefined, auth)).errors).toBeUndefined();
    expect((await h.query('query Named { __typename }')).status).toBe(401);
    expect((await h.query('query Broken { nope }', undefined, auth)).errors).toHaveLength(1);
    const { samples, text } = await scrape(h);
    expect(total(samples, 'graphql_operations_total', { operation: 'anonymous', outcome: 'ok' })).toBe(2);
    expect(total(samples, 'graphql_operations_total', { operation: 'Named', outcome: 'ok' })).toBe(1);
    expect(total(samples, 'graphql_operations_total', { operation: 'anonymous', outcome: 'error' })).toBe(1);
    expect(total(samples, 'graphql_operations_total', { operation: 'Broken', outcome: 'error' })).toBe(1);
    expect(text).not.toContain('metrics-test-token');
  });

  it('redis_up: 1 while Redis is ready, 0 once it is gone', async ({ startHarness, closeAfter }) => {
    const redis = await startRedis();
    closeAfter({ close: () => redis.stop() });
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { REDIS_URL: redis.url } });
    expect(total((await scrape(h)).samples, 'redis_up')).toBe(1);
    await redis.kill();
    const deadline = Date.now() + 5_000;
    let up = 1;
    while (up !== 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      up = total((await scrape(h)).samples, 'redis_up');
    }
    expect(up).toBe(0);
  });
});
