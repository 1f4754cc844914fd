import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { UpstreamFailure } from './upstreamFailure.js';

/** How hard the gateway tries one upstream call. */
export interface RetrySettings {
  /** Extra attempts after a 5xx, a connection failure or a 429 (UPSTREAM_RETRIES). */
  retries: number;
  /** First backoff step; each retry doubles it, with jitter over its upper half. */
  backoffBaseMs: number;
  /** Longest backoff step. */
  backoffMaxMs: number;
  /** A Retry-After longer than this is not waited for: the 429 is reported with `retryAfter`. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetrySettings = { retries: 2, backoffBaseMs: 100, backoffMaxMs: 2_000, maxRetryAfterMs: 5_000 };

/** Waits `ms`, or less when the signal aborts first. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Retries with backoff and Retry-After.
 *
 * - Retried: 5xx and connection failures (UPSTREAM_UNAVAILABLE) and 429 (UPSTREAM_RATE_LIMITED),
 *   for idempotent calls only, up to `retries` times. A 429 waits its Retry-After when that is
 *   short, else it is reported at once with `retryAfter`.
 * - Never retried: 401/403, other 4xx, unreadable bodies, timeouts (a slow provider is not asked
 *   twice as hard), and calls whose client went away.
 *
 * Each attempt passes the stages after this one again (a retry spends quota like any call).
 */
export class RetryStage implements Stage {
  readonly name = 'retry';

  constructor(
    private readonly settings: RetrySettings = DEFAULT_RETRY,
    private readonly sleep: Sleep = abortableSleep,
    private readonly random: () => number = Math.random,
  ) {}

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    for (let retry = 0; ; retry++) {
      try {
        return await next(retry === 0 ? call : { ...call, attempt: call.attempt + retry });
      } catch (error) {
        if (!(error instanceof UpstreamFailure) || call.signal?.aborted) throw error;
        const wait = this.waitBefore(error, retry, call.idempotent);
        if (wait === null) throw error;
        await this.sleep(wait, call.signal);
        if (call.signal?.aborted) throw error;
      }
    }
  }

  /** Milliseconds to wait before retry number `retry + 1`, or null when this failure is final. */
  waitBefore(error: UpstreamFailure, retry: number, idempotent: boolean): number | null {
    if (!idempotent || retry >= this.settings.retries) return null;
    if (error.local) return null; // an open circuit or our own spent budget: the provider was not asked
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
    return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
  }
}

/** A timer that ends early when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
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
