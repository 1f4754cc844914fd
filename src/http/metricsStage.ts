import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { UpstreamFailure } from './upstreamFailure.js';

/** Where the metrics stage records each attempt (GatewayMetrics in the gateway, a fake in tests). */
export interface UpstreamRecorder {
  /**
   * One HTTP attempt ended. `route` is the template (`GET /v1/campaigns/:id/stats`), never a path;
   * `status` is {@link attemptStatus}'s label.
   */
  upstreamAttempt(provider: string, route: string, status: string, attempt: number, seconds: number): void;
}

/**
 * Upstream metrics: the innermost stage, right before the HTTP transport, so it sees every attempt
 * (each retry, after the quota let it through) and nothing the gateway answered itself (cache
 * hits, shared calls, an open circuit, a spent quota). It records and passes everything on unchanged.
 */
export class MetricsStage implements Stage {
  readonly name = 'metrics';

  constructor(
    private readonly recorder: UpstreamRecorder,
    private readonly clock: () => number = () => performance.now(),
  ) {}

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const started = this.clock();
    let status = 'error';
    try {
      const result = await next(call);
      status = result === null ? 'not_found' : String(result.status);
      return result;
    } catch (error) {
      status = attemptStatus(error);
      throw error;
    } finally {
      this.recorder.upstreamAttempt(call.provider, `${call.route.method} ${call.route.template}`, status, call.attempt, (this.clock() - started) / 1000);
    }
  }
}

/**
 * The `status` label of a failed attempt: the provider's HTTP status when it answered, else why
 * there was no answer: `timeout`, `network` (refused, reset, dropped mid-answer), `cancelled` (the
 * client went away), or the failure's code in lower case without `UPSTREAM_`. Anything that is not
 * an UpstreamFailure (a bug) is `error`. A bounded set: never a message, a path or a body.
 */
export function attemptStatus(error: unknown): string {
  if (!(error instanceof UpstreamFailure)) return 'error';
  if (error.upstreamStatus !== undefined) return String(error.upstreamStatus);
  switch (error.code) {
    case 'UPSTREAM_TIMEOUT':
      return 'timeout';
    case 'UPSTREAM_UNAVAILABLE':
      return error.local ? 'cancelled' : 'network';
    default:
      return error.code.replace(/^UPSTREAM_/, '').toLowerCase();
  }
}
