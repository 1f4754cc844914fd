import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { UpstreamFailure } from './upstreamFailure.js';

export interface CircuitSettings {
  /** Consecutive failed calls that open the provider's circuit; 0 never opens it. */
  threshold: number;
  /** How long an open circuit fails calls without trying the provider. */
  cooldownMs: number;
}

export const DEFAULT_CIRCUIT: CircuitSettings = { threshold: 5, cooldownMs: 30_000 };

export type CircuitState = 'closed' | 'open' | 'half-open';

/**
 * A circuit breaker for one provider (one instance per provider, shared by every request of the
 * process). After `threshold` calls in a row that ended unavailable or timed out (after their
 * retries), calls fail at once with UPSTREAM_UNAVAILABLE for `cooldownMs`, without reaching the
 * provider. Then one call at a time tries it again (half-open): a success closes the circuit, a
 * failure opens it for another cooldown. Other failures (401, 429, bad bodies) say the provider
 * is up and neither count nor open it.
 */
export class CircuitBreakerStage implements Stage {
  readonly name = 'circuit';
  private consecutiveFailures = 0;
  private openUntil = 0;
  private probing = false;

  constructor(
    private readonly provider: string,
    private readonly settings: CircuitSettings = DEFAULT_CIRCUIT,
    private readonly now: () => number = Date.now,
  ) {}

  get state(): CircuitState {
    if (this.openUntil === 0) return 'closed';
    return this.now() < this.openUntil ? 'open' : 'half-open';
  }

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.probing)) throw this.openFailure();
    const probe = state === 'half-open';
    if (probe) this.probing = true;
    try {
      const result = await next(call);
      this.consecutiveFailures = 0;
      this.openUntil = 0;
      return result;
    } catch (error) {
      if (error instanceof UpstreamFailure && !call.signal?.aborted) this.record(error, probe);
      throw error;
    } finally {
      if (probe) this.probing = false;
    }
  }

  private record(error: UpstreamFailure, probe: boolean): void {
    if (error.local || (error.code !== 'UPSTREAM_UNAVAILABLE' && error.code !== 'UPSTREAM_TIMEOUT')) {
      if (probe) {
        // The provider answered: it is up.
        this.openUntil = 0;
        this.consecutiveFailures = 0;
      }
      return;
    }
    this.consecutiveFailures++;
    if (this.settings.threshold > 0 && (probe || this.consecutiveFailures >= this.settings.threshold)) {
      this.openUntil = this.now() + this.settings.cooldownMs;
    }
  }

  private openFailure(): UpstreamFailure {
    const seconds = Math.max(1, Math.ceil((this.openUntil - this.now()) / 1000));
    return new UpstreamFailure(
      'UPSTREAM_UNAVAILABLE',
      this.provider,
      `${this.provider} circuit is open after ${this.consecutiveFailures} failed calls in a row; calls resume in ${seconds} s`,
      { retryAfter: seconds, local: true },
    );
  }
}
