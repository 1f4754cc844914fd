import { AsyncLocalStorage } from 'node:async_hooks';
import type { Span } from '@opentelemetry/api';

/** A field's path in the response, as graphql-js gives it. */
export type ResponsePath = ReadonlyArray<string | number>;

/** An answer served from the cache past its TTL because its provider failed or its quota was spent. */
export interface StaleAnswer {
  provider: string;
  /** The route template, e.g. `GET /v1/campaigns/:id/stats`. */
  route: string;
  /** When the provider gave the answer (epoch ms). */
  storedAt: number;
  /** The field whose resolver asked (batched calls: the first field of the batch). */
  path: ResponsePath | null;
}

/** What one GraphQL request's upstream calls did: for stale reporting, logs and cost reports. */
export class CallLedger {
  /** The operation's name, once known (logs). */
  operationName: string | null = null;
  /** Calls that reached a provider (each attempt counts). */
  upstreamCalls = 0;
  cacheHits = 0;
  /** Calls answered by an identical call already in flight. */
  sharedCalls = 0;
  readonly stale: StaleAnswer[] = [];
  /**
   * Until when every upstream answer this request used stays fresh (epoch ms): how long its whole
   * response may be reused. Infinity while it used none.
   */
  freshUntil = Infinity;
  /**
   * Failures of fields that still answered (a cross-provider list served without one provider):
   * added to the response's errors at `path`.
   */
  readonly partialFailures: Array<{ error: Error; path: ResponsePath }> = [];
  /** Set when the whole response came from the response cache (nothing executed). */
  responseCacheHit = false;
  /** Set when an answer was not cacheable (cache off for its kind, or not idempotent). */
  uncacheable = false;
  /**
   * The operation's span while tracing is on (src/tracing.ts): the parent of the spans of the
   * upstream calls made for it (src/http/tracingStage.ts), wherever they run in the request's
   * async context (resolvers, DataLoader batches).
   */
  span?: Span;

  /** Notes an answer the request used, fresh until `until` (epoch ms). */
  usedAnswer(until: number): void {
    if (until < this.freshUntil) this.freshUntil = until;
  }
}

interface CallContext {
  ledger: CallLedger;
  path: ResponsePath | null;
}

const context = new AsyncLocalStorage<CallContext>();

/** Runs a request's execution with its ledger: every upstream call made inside records into it. */
export function withLedger<T>(ledger: CallLedger, run: () => T): T {
  return context.run({ ledger, path: null }, run);
}

/** Runs a resolver with its response path, so the calls it makes are attributed to it. */
export function atPath<T>(path: ResponsePath, run: () => T): T {
  const current = context.getStore();
  return current ? context.run({ ledger: current.ledger, path }, run) : run();
}

/** The ledger and path of the code running now; undefined outside a request (tests of stages, start-up). */
export function currentCall(): CallContext | undefined {
  return context.getStore();
}
