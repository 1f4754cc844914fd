import type { CacheStore } from '../store/cacheStore.js';
import { currentCall, recordStale } from './callLedger.js';
import { callKey, identityOf } from './callKey.js';
import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import type { DataKind } from './route.js';
import { UpstreamFailure } from './upstreamFailure.js';

/** How long answers are fresh, and how long past that they may still answer when the provider fails. */
export interface CachePolicy {
  /** Fresh time per kind of data, already capped at CACHE_TTL_S; 0 does not cache that kind. */
  ttlMs: Readonly<Record<DataKind, number>>;
  /** CACHE_STALE_S: how long past its TTL an answer may stand in for a failed call; 0 never. */
  staleMs: number;
  /** Fresh time of a "no such object" answer (at most the kind's TTL): a new campaign shows up soon. */
  notFoundTtlMs: number;
}

/**
 * What a cache lookup found: `hit` a fresh answer (no call), `miss` none (the call goes on), and
 * `stale`, recorded after a miss, when the call failed and an answer past its TTL stood in.
 */
export type CacheOutcome = 'hit' | 'miss' | 'stale';

/** Where the cache stage records its lookups (GatewayMetrics in the gateway). */
export interface CacheRecorder {
  cacheLookup(provider: string, kind: DataKind, outcome: CacheOutcome): void;
}

/** One recorder that records into each of those given (metrics, tracing); undefined when none is. */
export function cacheRecorders(...recorders: Array<CacheRecorder | undefined>): CacheRecorder | undefined {
  const given = recorders.filter((recorder): recorder is CacheRecorder => recorder !== undefined);
  if (given.length <= 1) return given[0];
  return {
    cacheLookup(provider, kind, outcome) {
      for (const recorder of given) recorder.cacheLookup(provider, kind, outcome);
    },
  };
}

/** Failures that say the provider cannot answer now: a stale answer may stand in. */
function providerTrouble(error: unknown): boolean {
  return (
    error instanceof UpstreamFailure &&
    (error.code === 'UPSTREAM_UNAVAILABLE' || error.code === 'UPSTREAM_TIMEOUT' || error.code === 'UPSTREAM_RATE_LIMITED')
  );
}

/**
 * The cross-request cache: answers of idempotent calls keyed by credential scope, route and
 * arguments ({@link callKey}), fresh for their kind's TTL; failures are never stored. An answer
 * past its TTL but within the stale window answers when the provider fails (5xx, timeout, open
 * circuit, 429 or our own spent quota), and the request's ledger records it at every field the
 * call was made for (src/http/callLedger.ts), so the response can say which paths are stale and
 * how old. A fresh answer also stores the answers its route says it holds (a list's items are
 * lookups), so a later lookup costs no call.
 */
export class CacheStage implements Stage {
  readonly name = 'cache';

  constructor(
    private readonly store: CacheStore,
    private readonly policy: CachePolicy,
    private readonly now: () => number = Date.now,
    /** Records each lookup's outcome; without it nothing is recorded. */
    private readonly metrics?: CacheRecorder,
  ) {}

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const ttl = this.policy.ttlMs[call.route.kind];
    const ledger = currentCall();
    if (!call.idempotent || ttl <= 0) {
      if (ledger) ledger.ledger.uncacheable = true;
      return next(call);
    }
    const key = callKey(call);
    const entry = await this.store.get(key);
    if (entry && this.now() - entry.storedAt < this.freshMs(ttl, entry.data)) {
      this.metrics?.cacheLookup(call.provider, call.route.kind, 'hit');
      if (ledger) {
        ledger.ledger.cacheHits++;
        ledger.ledger.usedAnswer(entry.storedAt + this.freshMs(ttl, entry.data));
      }
      return { status: 200, data: entry.data, headers: {} };
    }
    this.metrics?.cacheLookup(call.provider, call.route.kind, 'miss');
    let result: UpstreamResult | null;
    try {
      result = await next(call);
    } catch (error) {
      if (entry && this.policy.staleMs > 0 && providerTrouble(error) && this.now() - entry.storedAt < ttl + this.policy.staleMs) {
        this.metrics?.cacheLookup(call.provider, call.route.kind, 'stale');
        recordStale(ledger, { provider: call.provider, route: `${call.route.method} ${call.route.template}`, storedAt: entry.storedAt });
        return { status: 200, data: entry.data, headers: {} };
      }
      throw error;
    }
    const storedAt = this.now();
    const data = result?.data ?? null;
    ledger?.ledger.usedAnswer(storedAt + this.freshMs(ttl, data));
    await this.store.set(key, { data, storedAt }, this.freshMs(ttl, data) + this.policy.staleMs);
    if (result && call.route.primes) await this.prime(call, result.data, storedAt);
    return result;
  }

  private freshMs(ttl: number, data: unknown): number {
    return data === null ? Math.min(ttl, this.policy.notFoundTtlMs) : ttl;
  }

  private async prime(call: UpstreamCall, data: unknown, storedAt: number): Promise<void> {
    for (const answer of call.route.primes!(data)) {
      const ttl = this.policy.ttlMs[answer.route.kind];
      if (!answer.route.idempotent || ttl <= 0) continue;
      const key = callKey(identityOf(call.provider, call.scope, answer.route, answer));
      await this.store.set(key, { data: answer.data, storedAt }, ttl + this.policy.staleMs);
    }
  }
}

/**
 * How long each kind of data stays fresh by default, before the CACHE_TTL_S cap: lists and log
 * pages change as campaigns send, single campaigns and stats less often (Migma documents its
 * stats as cached and slightly stale anyway), a single log row hardly at all.
 */
export const KIND_TTL_S: Readonly<Record<DataKind, number>> = {
  campaignList: 30,
  campaign: 60,
  stats: 60,
  logPage: 30,
  logItem: 300,
};

/** A "no such object" answer is fresh for at most this long. */
export const NOT_FOUND_TTL_S = 15;

/** The policy for CACHE_TTL_S and CACHE_STALE_S: each kind's TTL capped at `ttlS`. */
export function cachePolicy(ttlS: number, staleS: number): CachePolicy {
  const ttlMs = Object.fromEntries(Object.entries(KIND_TTL_S).map(([kind, s]) => [kind, Math.min(s, ttlS) * 1000])) as Record<DataKind, number>;
  return { ttlMs, staleMs: staleS * 1000, notFoundTtlMs: NOT_FOUND_TTL_S * 1000 };
}
