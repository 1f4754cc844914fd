import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import { COST_REPORT_HEADER } from './limits/operationLimits.js';

export interface ResponseCacheSettings {
  /** The longest a response is reused (CACHE_TTL_S); it is never reused past its upstream answers' freshness. */
  maxTtlMs: number;
  maxEntries: number;
  maxBytes: number;
}

/** Where the response cache records its lookups (GatewayMetrics in the gateway). */
export interface ResponseCacheRecorder {
  responseCacheLookup(outcome: 'hit' | 'miss'): void;
}

interface CachedResponse {
  result: ExecutionResult;
  freshUntil: number;
}

/**
 * Whole responses, reused for the same operation with the same variables, in this instance's
 * memory: never longer than the freshest-expiring upstream answer the response was built from
 * (the request's call ledger says), nor than CACHE_TTL_S. Only complete answers are kept: a
 * response with any error, a stale answer, or an answer that was not cacheable is never reused.
 * Every client of the gateway sees the same data (the provider keys are the gateway's), so the key
 * is the operation alone. A dashboard reloaded by many people then costs one execution per TTL.
 */
export function responseCache(settings: ResponseCacheSettings, now: () => number = Date.now, metrics?: ResponseCacheRecorder): Plugin<GatewayContext> {
  const cache = new LRUCache<string, CachedResponse>({
    max: settings.maxEntries,
    maxSize: settings.maxBytes,
    sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.result).length),
  });
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const context = args.contextValue as GatewayContext & { params?: { query?: string; variables?: unknown; operationName?: string } };
      const params = context.params;
      if (!params?.query || (context as { request?: Request }).request?.headers.get(COST_REPORT_HEADER)) return;
      const variables = keyText(params.variables ?? null);
      // Variables nested too deeply to write down (JSON.stringify recurses): not cached, just executed.
      if (variables === null) return;
      const key = createHash('sha256')
        .update(`${params.operationName ?? ''}\u0000${params.query}\u0000${variables}`)
        .digest('base64url');
      const hit = cache.get(key);
      const fresh = hit !== undefined && now() < hit.freshUntil;
      metrics?.responseCacheLookup(fresh ? 'hit' : 'miss');
      if (hit && fresh) {
        context.ledger.responseCacheHit = true;
        setResultAndStopExecution(hit.result);
        return;
      }
      return {
        onExecuteDone({ result }) {
          const ledger = context.ledger;
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const single = result as ExecutionResult;
          if (single.errors?.length || ledger.stale.length || ledger.partialFailures.length || ledger.uncacheable) return;
          const freshUntil = Math.min(ledger.freshUntil, now() + settings.maxTtlMs);
          if (freshUntil <= now()) return;
          cache.set(key, { result: single, freshUntil }, { ttl: Math.max(1, freshUntil - now()) });
        },
      };
    },
  };
}

/** JSON of a request's variables, or null when they cannot be written (nested deeper than the stack). */
function keyText(variables: unknown): string | null {
  try {
    return JSON.stringify(variables);
  } catch {
    return null;
  }
}
