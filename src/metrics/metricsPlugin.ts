import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics, OperationOutcome } from './gatewayMetrics.js';

interface Operation {
  startedAt: number;
  name?: string | null;
}

/**
 * `/metrics` (Prometheus text, from the gateway's own registry) and the operation metrics: every
 * GraphQL result, from the request's arrival to its result, by operation name and outcome. Listed
 * first among the plugins, so its clock starts before any other work and it sees every result,
 * including those answered before execution (401, parse and validation errors, response-cache hits).
 */
export function metricsPlugin(metrics: GatewayMetrics, clock: () => number = () => performance.now()): Plugin<GatewayContext> {
  const operations = new WeakMap<Request, Operation>();
  return {
    async onRequest({ request, url, endResponse, fetchAPI }) {
      if (url.pathname === '/metrics') {
        endResponse(
          new fetchAPI.Response(await metrics.scrape(), {
            status: 200,
            headers: { 'content-type': metrics.contentType, 'cache-control': 'no-store' },
          }),
        );
        return;
      }
      operations.set(request, { startedAt: clock() });
    },
    onParams({ request, params }) {
      const operation = operations.get(request);
      if (operation) operation.name = params.operationName;
    },
    onParse({ context }) {
      return ({ result }) => {
        const { request, params } = context as { request?: Request; params?: { operationName?: string } };
        const operation = request && operations.get(request);
        if (!operation || !isDocument(result)) return;
        // The operation that runs: named in the document even when the request named none
        // (`query Dashboard { ... }` alone); a name the document does not have is no name.
        operation.name = getOperationAST(result, params?.operationName)?.name?.value ?? null;
      };
    },
    onResultProcess({ request, result }) {
      const operation = operations.get(request);
      if (!operation) return;
      operations.delete(request);
      metrics.operationDone(operation.name, outcomeOf(result), (clock() - operation.startedAt) / 1000);
    },
  };
}

function isDocument(value: unknown): value is DocumentNode {
  return !!value && typeof value === 'object' && (value as DocumentNode).kind === Kind.DOCUMENT;
}

/**
 * ok: no errors; partial: errors, and at least one top-level field answered; error: errors and
 * nothing answered (no data, or every top-level field null). A stream counts as ok.
 */
export function outcomeOf(result: unknown): OperationOutcome {
  if (Array.isArray(result)) {
    // A batch (yoga's batching is off here): ok or error when every entry is, else partial.
    const outcomes = new Set(result.map(outcomeOf));
    return outcomes.size <= 1 ? ([...outcomes][0] ?? 'ok') : 'partial';
  }
  if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return 'ok';
  const { data, errors } = result as ExecutionResult;
  if (!errors?.length) return 'ok';
  return data && Object.values(data).some((value) => value !== null && value !== undefined) ? 'partial' : 'error';
}
