import { currentCall } from './callLedger.js';
import { callKey } from './callKey.js';
import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { UpstreamFailure } from './upstreamFailure.js';

interface Flight {
  promise: Promise<UpstreamResult | null>;
  controller: AbortController;
  waiters: number;
}

/**
 * In-flight sharing: concurrent identical idempotent calls (same credential scope, route and
 * arguments) become one upstream call, whichever requests they come from. The shared call is
 * cancelled only when every caller waiting for it has gone away; a caller that leaves early gets
 * a cancellation at once while the others keep waiting.
 */
export class InFlightStage implements Stage {
  readonly name = 'inflight';
  private readonly flights = new Map<string, Flight>();

  handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    if (!call.idempotent) return next(call);
    const key = callKey(call);
    let flight = this.flights.get(key);
    if (flight) {
      const ledger = currentCall()?.ledger;
      if (ledger) ledger.sharedCalls++;
    } else {
      const controller = new AbortController();
      const promise = next({ ...call, signal: controller.signal }).finally(() => {
        if (this.flights.get(key) === created) this.flights.delete(key);
      });
      const created: Flight = { promise, controller, waiters: 0 };
      flight = created;
      this.flights.set(key, created);
    }
    return this.wait(flight, call);
  }

  /** Calls in flight now (for tests and metrics). */
  get size(): number {
    return this.flights.size;
  }

  private wait(flight: Flight, call: UpstreamCall): Promise<UpstreamResult | null> {
    const signal = call.signal;
    if (signal?.aborted) return Promise.reject(cancelled(call));
    flight.waiters++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        signal?.removeEventListener('abort', onAbort);
        flight.waiters--;
      };
      const onAbort = () => {
        leave();
        if (flight.waiters === 0) flight.controller.abort();
        reject(cancelled(call));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      flight.promise.then(
        (result) => {
          leave();
          resolve(result);
        },
        (error: unknown) => {
          leave();
          reject(error);
        },
      );
    });
  }
}

function cancelled(call: UpstreamCall): UpstreamFailure {
  return new UpstreamFailure('UPSTREAM_UNAVAILABLE', call.provider, `${call.provider} call cancelled: the client went away`, { local: true });
}
