import { hash } from 'node:crypto';
import type { QueryParams } from './pipeline.js';
import { expandPath, type Route } from './route.js';

/** The arguments of one call of a route, as callers give them. */
export interface CallArgs {
  /** Values of the template's `:params`. */
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  signal?: AbortSignal;
}

/** Query parameters in the caller's order, without null or undefined values. */
export function queryParams(query: CallArgs['query']): QueryParams {
  if (!query) return [];
  const params: Array<readonly [string, string]> = [];
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.push([key, String(value)]);
  }
  return params;
}

/** What identifies a call's answer: the route and its concrete arguments. */
export interface CallIdentity {
  provider: string;
  scope: string;
  route: Route;
  path: string;
  query: QueryParams;
  body?: unknown;
}

/** The identity of a call of `route` with `args` (what the client would send). */
export function identityOf(provider: string, scope: string, route: Route, args: CallArgs): CallIdentity {
  return { provider, scope, route, path: expandPath(route.template, args.params), query: queryParams(args.query), body: args.body };
}

/**
 * The key of a call's answer, shared by the cache (memory and Redis) and in-flight sharing:
 * `cg:v1:<credential scope>:<provider>:<route name>:<hash of method, path, sorted query, body>`.
 * It holds the scope hash, never the key, and no id in clear.
 */
export function callKey(call: CallIdentity): string {
  const query = [...call.query].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  // One-shot hash (Node 20.12+): no Hash object per call.
  const digest = hash('sha256', JSON.stringify([call.route.method, call.path, query, call.body ?? null]), 'base64url').slice(0, 27);
  return `cg:v1:${call.scope}:${call.provider}:${call.route.name}:${digest}`;
}
