import { describe, expect, it } from 'vitest';
import { CircuitBreakerStage } from '../src/http/circuitBreaker.js';
import { composePipeline, type CallNext, type Stage, type UpstreamCall } from '../src/http/pipeline.js';
import { RetryStage } from '../src/http/retry.js';
import { expandPath, route } from '../src/http/route.js';
import { UpstreamFailure, type UpstreamFailureCode } from '../src/http/upstreamFailure.js';

const statsRoute = route({ name: 'campaignStats', call: 'GET /v1/campaigns/:id/stats', kind: 'stats', read: (d) => d });
const searchRoute = route({ name: 'search', call: 'POST /search', kind: 'logPage', read: (d) => d });

function call(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return {
    provider: 'TEST',
    route: statsRoute,
    method: 'GET',
    path: '/v1/campaigns/c1/stats',
    query: [],
    scope: 'scope-hash',
    idempotent: true,
    attempt: 1,
    ...overrides,
  };
}

const ok = { status: 200, data: { fine: true }, headers: {} };
const fail = (code: UpstreamFailureCode, details: ConstructorParameters<typeof UpstreamFailure>[3] = {}) =>
  new UpstreamFailure(code, 'TEST', `TEST ${code}`, details);

/** A transport that answers from a script and records each attempt it sees. */
function scripted(...answers: Array<UpstreamFailure | typeof ok>) {
  const seen: UpstreamCall[] = [];
  const next: CallNext = async (c) => {
    seen.push(c);
    const answer = answers[Math.min(seen.length - 1, answers.length - 1)]!;
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { next, seen };
}

describe('route and pipeline', () => {
  it('a route reads its method and template; expandPath encodes parameters', () => {
    expect(statsRoute).toMatchObject({ method: 'GET', template: '/v1/campaigns/:id/stats', idempotent: true, notFoundAsNull: false });
    expect(searchRoute.idempotent).toBe(false);
    expect(expandPath(statsRoute.template, { id: 'a/b c' })).toBe('/v1/campaigns/a%2Fb%20c/stats');
    expect(() => expandPath(statsRoute.template, {})).toThrow(/no value for :id/);
    // A lone surrogate (found by test/properties.test.ts: encodeURIComponent threw URIError, an
    // INTERNAL_SERVER_ERROR) is written as U+FFFD, as URLSearchParams writes it in query strings.
    expect(expandPath(statsRoute.template, { id: 'a\ud800b\udc00' })).toBe('/v1/campaigns/a%EF%BF%BDb%EF%BF%BD/stats');
    expect(expandPath(statsRoute.template, { id: '\ud83d\ude00' })).toBe('/v1/campaigns/%F0%9F%98%80/stats');
    expect(new URLSearchParams({ id: 'a\ud800b' }).toString()).toBe('id=a%EF%BF%BDb');
  });

  it('stages run outermost first and each sees the whole call', async () => {
    const order: string[] = [];
    const tag = (name: string): Stage => ({
      name,
      handle: async (c, next) => {
        order.push(`${name}:${c.route.template}:${c.scope}`);
        return next(c);
      },
    });
    const { next, seen } = scripted(ok);
    const pipeline = composePipeline([tag('a'), tag('b')], next);
    await expect(pipeline(call())).resolves.toEqual(ok);
    expect(order).toEqual(['a:/v1/campaigns/:id/stats:scope-hash', 'b:/v1/campaigns/:id/stats:scope-hash']);
    expect(seen).toHaveLength(1);
  });
});

describe('RetryStage', () => {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  const stage = () => {
    waits.length = 0;
    return new RetryStage({ retries: 2, backoffBaseMs: 100, backoffMaxMs: 2000, maxRetryAfterMs: 5000 }, sleep, () => 1);
  };

  it('retries 5xx and dropped connections with doubling backoff, counting attempts', async () => {
    const { next, seen } = scripted(fail('UPSTREAM_UNAVAILABLE'), fail('UPSTREAM_UNAVAILABLE'), ok);
    await expect(stage().handle(call(), next)).resolves.toEqual(ok);
    expect(seen.map((c) => c.attempt)).toEqual([1, 2, 3]);
    expect(waits).toEqual([100, 200]);
  });

  it('gives up after the retry budget with the last failure', async () => {
    const { next, seen } = scripted(fail('UPSTREAM_UNAVAILABLE', { upstreamStatus: 503 }));
    await expect(stage().handle(call(), next)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 });
    expect(seen).toHaveLength(3);
  });

  it('waits a short Retry-After exactly; reports a long one at once', async () => {
    const short = scripted(fail('UPSTREAM_RATE_LIMITED', { retryAfter: 2 }), ok);
    await expect(stage().handle(call(), short.next)).resolves.toEqual(ok);
    expect(waits).toEqual([2000]);
    const long = scripted(fail('UPSTREAM_RATE_LIMITED', { retryAfter: 30 }));
    await expect(stage().handle(call(), long.next)).rejects.toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', retryAfter: 30 });
    expect(long.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('never retries 401, bad bodies, timeouts, non-idempotent calls, local failures or a cancelled call', async () => {
    for (const code of ['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_BAD_RESPONSE', 'UPSTREAM_TIMEOUT', 'BAD_USER_INPUT'] as const) {
      const { next, seen } = scripted(fail(code));
      await expect(stage().handle(call(), next)).rejects.toMatchObject({ code });
      expect(seen, code).toHaveLength(1);
    }
    const post = scripted(fail('UPSTREAM_UNAVAILABLE'));
    await expect(stage().handle(call({ route: searchRoute, method: 'POST', idempotent: false }), post.next)).rejects.toThrow();
    expect(post.seen).toHaveLength(1);
    const local = scripted(fail('UPSTREAM_UNAVAILABLE', { local: true }));
    await expect(stage().handle(call(), local.next)).rejects.toThrow();
    expect(local.seen).toHaveLength(1);
    const controller = new AbortController();
    controller.abort();
    const cancelled = scripted(fail('UPSTREAM_UNAVAILABLE'));
    await expect(stage().handle(call({ signal: controller.signal }), cancelled.next)).rejects.toThrow();
    expect(cancelled.seen).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('backoff has jitter over the upper half and a ceiling', () => {
    const low = new RetryStage({ retries: 10, backoffBaseMs: 100, backoffMaxMs: 1000, maxRetryAfterMs: 0 }, sleep, () => 0);
    const failure = fail('UPSTREAM_UNAVAILABLE');
    expect([0, 1, 2, 3, 4].map((retry) => low.waitBefore(failure, retry, true))).toEqual([50, 100, 200, 400, 500]);
  });
});

describe('CircuitBreakerStage', () => {
  function breaker(threshold = 3, cooldownMs = 10_000) {
    let now = 1_000_000;
    const stage = new CircuitBreakerStage('TEST', { threshold, cooldownMs }, () => now);
    return { stage, advance: (ms: number) => (now += ms) };
  }

  it('opens after `threshold` unavailable or timed-out calls in a row and fails fast without calling', async () => {
    const { stage } = breaker(3);
    const down = scripted(fail('UPSTREAM_UNAVAILABLE'), fail('UPSTREAM_TIMEOUT'), fail('UPSTREAM_UNAVAILABLE'));
    for (let i = 0; i < 3; i++) await expect(stage.handle(call(), down.next)).rejects.toThrow();
    expect(stage.state).toBe('open');
    const error = await stage.handle(call(), down.next).catch((e: UpstreamFailure) => e);
    expect(error).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', retryAfter: 10, local: true });
    expect((error as Error).message).toMatch(/circuit is open after 3 failed calls in a row; calls resume in 10 s/);
    expect(down.seen).toHaveLength(3);
  });

  it('other failures and successes do not count towards opening', async () => {
    const { stage } = breaker(2);
    const mixed = scripted(fail('UPSTREAM_UNAVAILABLE'), ok, fail('UPSTREAM_UNAVAILABLE'), fail('UPSTREAM_RATE_LIMITED'), fail('UPSTREAM_BAD_RESPONSE'));
    for (let i = 0; i < 5; i++) await stage.handle(call(), mixed.next).catch(() => undefined);
    expect(stage.state).toBe('closed');
  });

  it('after the cooldown one probe goes through; a success closes, a failure reopens', async () => {
    const { stage, advance } = breaker(1, 5000);
    await stage.handle(call(), scripted(fail('UPSTREAM_UNAVAILABLE')).next).catch(() => undefined);
    expect(stage.state).toBe('open');
    advance(5000);
    expect(stage.state).toBe('half-open');

    // The probe is in flight: a second call fails fast instead of piling onto a sick provider.
    let release!: () => void;
    const slow: CallNext = () => new Promise((resolve) => (release = () => resolve(ok)));
    const probe = stage.handle(call(), slow);
    const other = scripted(ok);
    await expect(stage.handle(call(), other.next)).rejects.toMatchObject({ code: 'UPSTREAM_UNAVAILABLE' });
    expect(other.seen).toHaveLength(0);
    release();
    await expect(probe).resolves.toEqual(ok);
    expect(stage.state).toBe('closed');

    await stage.handle(call(), scripted(fail('UPSTREAM_UNAVAILABLE')).next).catch(() => undefined);
    advance(5000);
    await stage.handle(call(), scripted(fail('UPSTREAM_TIMEOUT')).next).catch(() => undefined);
    expect(stage.state).toBe('open');
  });

  it('threshold 0 never opens', async () => {
    const { stage } = breaker(0);
    const down = scripted(fail('UPSTREAM_UNAVAILABLE'));
    for (let i = 0; i < 20; i++) await stage.handle(call(), down.next).catch(() => undefined);
    expect(stage.state).toBe('closed');
    expect(down.seen).toHaveLength(20);
  });
});
