import type { Route } from './route.js';

/** Query parameters as sent: in the caller's order, without null or undefined values. */
export type QueryParams = ReadonlyArray<readonly [string, string]>;

/**
 * One upstream call as every pipeline stage sees it: the whole request, never a partial view.
 * Stages may pass a changed copy on (`{ ...call, attempt: 2 }`), never mutate it.
 */
export interface UpstreamCall {
  /** The provider's name, as in `extensions.provider`. */
  readonly provider: string;
  /** The route's description: template, kind, idempotency. Labels and cache keys use it, never `path`. */
  readonly route: Route;
  readonly method: 'GET' | 'POST';
  /** The concrete path, ids filled in. */
  readonly path: string;
  readonly query: QueryParams;
  /** The JSON body, for POSTs. */
  readonly body?: unknown;
  /**
   * Which credential the call is made with, as a hash (never the key): answers made with one key
   * are never served to another.
   */
  readonly scope: string;
  readonly idempotent: boolean;
  /** The incoming GraphQL request's signal: a client that goes away cancels its upstream calls. */
  readonly signal?: AbortSignal;
  /** 1 for the first attempt; the retry stage counts up. */
  readonly attempt: number;
}

/** What a call returns: the route's data (already read and checked), or null for a not-found lookup. */
export interface UpstreamResult {
  status: number;
  /** The route's `read` output; plain JSON. */
  data: unknown;
  headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type CallNext = (call: UpstreamCall) => Promise<UpstreamResult | null>;

/**
 * One concern of the upstream pipeline (retries, circuit, cache, quota, metrics): it sees the
 * call, may answer it itself, and otherwise hands it to `next` (once, several times, or never).
 */
export interface Stage {
  readonly name: string;
  handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null>;
}

/**
 * Composes stages around the transport: the first stage is the outermost, the transport (one
 * HTTP attempt) the innermost.
 */
export function composePipeline(stages: readonly Stage[], transport: CallNext): CallNext {
  return stages.reduceRight<CallNext>((next, stage) => (call) => stage.handle(call, next), transport);
}
