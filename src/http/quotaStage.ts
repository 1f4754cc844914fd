import type { QuotaStore } from '../store/quotaStore.js';
import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { abortableSleep, type Sleep } from './retry.js';
import { UpstreamFailure } from './upstreamFailure.js';

/** What a provider's rate-limit headers say is left, when it sends them. */
export interface RateLimitHint {
  remaining: number;
  resetInMs: number;
}

export interface QuotaSettings {
  /** Calls per sliding 60 seconds for this credential (`<PROVIDER>_RATE_LIMIT_PER_MINUTE`), all instances together. */
  perMinute: number;
  /** UPSTREAM_QUEUE_MS: how long a call may wait for room before it fails. */
  queueMs: number;
  /** Reads the provider's rate-limit headers (EmailSendX's X-RateLimit-*), when it has them. */
  readHint?: (headers: UpstreamResult['headers']) => RateLimitHint | null;
}

/** Where the quota stage records waits and refusals (GatewayMetrics in the gateway). */
export interface QuotaRecorder {
  /** A call waited `seconds` in all for room, and got it. */
  quotaWaited(provider: string, seconds: number): void;
  /** A call found no room within UPSTREAM_QUEUE_MS and failed without reaching the provider. */
  quotaRefused(provider: string): void;
}

/** When a 429 says nothing of when to come back. */
const DEFAULT_BACKOFF_MS = 10_000;

/**
 * The outbound quota: every attempt (retries too) takes one call from the credential's budget of
 * `perMinute` calls over any 60 seconds, shared by every instance on the same Redis. A call waits
 * for room up to `queueMs`; when the budget has no room that soon it fails at once with
 * UPSTREAM_RATE_LIMITED and `retryAfter` (seconds until room). The provider's own word tightens
 * the budget: its rate-limit headers when they say fewer calls are left, and any 429 it answers.
 */
export class QuotaStage implements Stage {
  readonly name = 'quota';

  constructor(
    private readonly store: QuotaStore,
    private readonly settings: QuotaSettings,
    private readonly sleep: Sleep = abortableSleep,
    private readonly now: () => number = Date.now,
    /** Records waits and refusals; without it nothing is recorded. */
    private readonly metrics?: QuotaRecorder,
  ) {}

  /** The store key of a credential's budget. */
  static key(scope: string): string {
    return `cg:v1:quota:${scope}`;
  }

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const key = QuotaStage.key(call.scope);
    const started = this.now();
    const deadline = started + this.settings.queueMs;
    let waited = false;
    for (;;) {
      const wait = await this.store.take(key, this.settings.perMinute);
      if (wait <= 0) break;
      if (this.now() + wait > deadline) {
        this.metrics?.quotaRefused(call.provider);
        throw this.spent(call, wait);
      }
      waited = true;
      await this.sleep(wait, call.signal);
      if (call.signal?.aborted) {
        throw new UpstreamFailure('UPSTREAM_UNAVAILABLE', call.provider, `${call.provider} call cancelled: the client went away`, { local: true });
      }
    }
    if (waited) this.metrics?.quotaWaited(call.provider, (this.now() - started) / 1000);
    try {
      const result = await next(call);
      const hint = result && this.settings.readHint?.(result.headers);
      if (hint) await this.store.tighten(key, hint.remaining, hint.resetInMs);
      return result;
    } catch (error) {
      if (error instanceof UpstreamFailure && error.code === 'UPSTREAM_RATE_LIMITED' && !error.local) {
        await this.store.tighten(key, 0, error.retryAfter !== undefined ? error.retryAfter * 1000 : DEFAULT_BACKOFF_MS);
      }
      throw error;
    }
  }

  private spent(call: UpstreamCall, waitMs: number): UpstreamFailure {
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    return new UpstreamFailure(
      'UPSTREAM_RATE_LIMITED',
      call.provider,
      `${call.provider} quota: no room for another call for ${seconds} s (the gateway's budget is ${this.settings.perMinute} calls a minute, less when the provider says fewer are left)`,
      { retryAfter: seconds, local: true },
    );
  }
}
