import type { RequestPolicy } from './upstreamClient.js';
import { UpstreamFailure } from './upstreamFailure.js';

/** How hard the gateway tries one upstream call, and when it stops calling a failing provider. */
export interface ResilienceSettings {
  /** Extra attempts after a 5xx, a connection failure or a 429 (UPSTREAM_RETRIES). */
  retries: number;
  /** First backoff step; each retry doubles it, with full jitter. */
  backoffBaseMs: number;
  /** Longest backoff step. */
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the 429 is reported with `retryAfter`. */
  maxRetryAfterMs: number;
  /** Consecutive failed calls that open the provider's circuit; 0 never opens it. */
  circuitThreshold: number;
  /** How long an open circuit fails calls without trying the provider. */
  circuitCooldownMs: number;
}

export const DEFAULT_RESILIENCE: ResilienceSettings = {
  retries: 2,
  backoffBaseMs: 100,
  backoffMaxMs: 2_000,
  maxRetryAfterMs: 5_000,
  circuitThreshold: 5,
  circuitCooldownMs: 30_000,
};

/**
 * The default {@link RequestPolicy}: retries with backoff, Retry-After, and a circuit breaker, for
 * one provider (one instance per provider client, shared by all requests of the process).
 *
 * - Retried: 5xx and connection failures (UPSTREAM_UNAVAILABLE) and 429 (UPSTREAM_RATE_LIMITED),
 *   for idempotent calls only, up to `retries` times. A 429 waits its Retry-After when that is
 *   short, else it is reported at once with `retryAfter`.
 * - Never retried: 401/403, other 4xx, unreadable bodies, timeouts (a slow provider is not asked
 *   twice as hard), and calls whose client went away.
 * - Circuit: after `circuitThreshold` calls in a row that ended unavailable or timed out, calls
 *   fail at once with UPSTREAM_UNAVAILABLE for `circuitCooldownMs`; then one call tries the
 *   provider again, and a success closes the circuit while a failure opens it again.
 */
export class ResilientPolicy implements RequestPolicy {
  private consecutiveFailures = 0;
  private openUntil = 0;

  constructor(
    private readonly provider: string,
    private readonly settings: ResilienceSettings = DEFAULT_RESILIENCE,
    private readonly now: () => number = Date.now,
  ) {}

  async run<T>(attempt: () => Promise<T>, request: { method: string; path: string; idempotent: boolean; signal?: AbortSignal }): Promise<T> {
    this.checkCircuit();
    for (let retry = 0; ; retry++) {
      try {
        const result = await attempt();
        this.consecutiveFailures = 0;
        this.openUntil = 0;
        return result;
      } catch (error) {
        if (!(error instanceof UpstreamFailure) || request.signal?.aborted) throw error;
        const wait = this.retryWait(error, retry, request.idempotent);
        if (wait === null) {
          this.record(error);
          throw error;
        }
        await sleep(wait, request.signal);
        if (request.signal?.aborted) throw error;
      }
    }
  }

  /** Milliseconds to wait before retrying, or null when this failure is final. */
  private retryWait(error: UpstreamFailure, retry: number, idempotent: boolean): number | null {
    if (!idempotent || retry >= this.settings.retries) return null;
    if (error.code === 'UPSTREAM_RATE_LIMITED') {
      if (error.retryAfter !== undefined) {
        const wait = error.retryAfter * 1000;
        return wait <= this.settings.maxRetryAfterMs ? wait : null;
      }
      return this.backoff(retry);
    }
    if (error.code === 'UPSTREAM_UNAVAILABLE') return this.backoff(retry);
    return null;
  }

  private backoff(retry: number): number {
    const ceiling = Math.min(this.settings.backoffMaxMs, this.settings.backoffBaseMs * 2 ** retry);
    return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
  }

  private record(error: UpstreamFailure): void {
    if (error.code !== 'UPSTREAM_UNAVAILABLE' && error.code !== 'UPSTREAM_TIMEOUT') return;
    this.consecutiveFailures++;
    if (this.settings.circuitThreshold > 0 && this.consecutiveFailures >= this.settings.circuitThreshold) {
      this.openUntil = this.now() + this.settings.circuitCooldownMs;
    }
  }

  private checkCircuit(): void {
    const remaining = this.openUntil - this.now();
    if (remaining <= 0) return;
    throw new UpstreamFailure(
      'UPSTREAM_UNAVAILABLE',
      this.provider,
      `${this.provider} circuit is open after ${this.consecutiveFailures} failed calls in a row; calls resume in ${Math.ceil(remaining / 1000)} s`,
      { retryAfter: Math.ceil(remaining / 1000) },
    );
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
