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
  /**
   * The field whose resolver asked for the answer (null: the operation itself). An answer several
   * fields used (a DataLoader key two fields asked for, one call for many keys of a batch) is
   * recorded once per field ({@link recordStale}).
   */
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
  /** Stale answers, one per field that used one (what `extensions.stale` reports). */
  readonly stale: StaleAnswer[] = [];
  /** Calls answered stale (each counts once, however many fields used its answer). */
  staleCalls = 0;
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

/**
 * Who a call is made for. A resolver's context has its path; a call made for DataLoader keys
 * runs as a {@link SharedCaller} of the contexts that asked for them.
 */
export type CallContext = ResolverCaller | SharedCaller;

interface ResolverCaller {
  readonly ledger: CallLedger;
  readonly path: ResponsePath | null;
  readonly askers?: undefined;
}

/**
 * A call made for several askers (the fields that asked for one DataLoader key, or the keys one
 * batched request serves): what it records is recorded at each asker, and an asker that joins
 * later (a DataLoader cache hit) gets what was recorded before it joined.
 */
interface SharedCaller {
  readonly ledger: CallLedger;
  /** The first asker's path (what a record without askers would name). */
  readonly path: ResponsePath | null;
  readonly askers: CallContext[];
  /** Stale answers recorded so far, without their path: replayed to later askers. */
  stale: Array<Omit<StaleAnswer, 'path'>> | null;
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

/**
 * The caller of the code running now, to keep for a call made later on its behalf (a DataLoader
 * key's caller, taken at `load()`); undefined outside a request.
 */
export function callerOf(): CallContext | undefined {
  return context.getStore();
}

/**
 * Runs `run` as `caller` (from {@link callerOf} or {@link sharedBy}): the calls it makes record
 * into that caller's ledger, at its path(s). Without a caller it just runs (no context switch).
 */
export function asCaller<T>(caller: CallContext | undefined, run: () => T): T {
  return caller && caller !== context.getStore() ? context.run(caller, run) : run();
}

/**
 * A caller standing for all of `callers` (undefined ones are left out): a call made as it is
 * recorded at every one of them, and {@link joinCaller} adds askers later. Undefined when none is
 * given (no request).
 */
export function sharedBy(callers: ReadonlyArray<CallContext | undefined>): SharedCaller | undefined {
  let askers: CallContext[] | null = null;
  for (const caller of callers) if (caller) (askers ??= []).push(caller);
  return askers ? { ledger: askers[0]!.ledger, path: askers[0]!.path, askers, stale: null } : undefined;
}

/**
 * Adds `asker` to a shared caller's askers: what the shared call records from now on is recorded
 * at it too, and what it recorded already (its stale answers) is recorded at it now.
 */
export function joinCaller(shared: CallContext | undefined, asker: CallContext | undefined): void {
  if (!shared?.askers || !asker || shared === asker || shared.askers.includes(asker)) return;
  shared.askers.push(asker);
  if (shared.stale) for (const answer of shared.stale) recordAt(asker, answer);
}

/**
 * Records an answer served stale for the caller running now: once in its ledger's call count,
 * and at every field it was made for (a shared caller's askers, theirs in turn).
 */
export function recordStale(caller: CallContext | undefined, answer: Omit<StaleAnswer, 'path'>): void {
  if (!caller) return;
  caller.ledger.staleCalls++;
  recordAt(caller, answer);
}

function recordAt(caller: CallContext, answer: Omit<StaleAnswer, 'path'>): void {
  if (!caller.askers) {
    caller.ledger.stale.push({ ...answer, path: caller.path });
    return;
  }
  (caller.stale ??= []).push(answer);
  for (const asker of caller.askers) recordAt(asker, answer);
}
