import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { createRequire } from 'node:module';
import type { Plugin, YogaLogger } from 'graphql-yoga';
import type { GatewayContext } from './context.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

/**
 * The gateway's logger (pino): one JSON object per line in production, readable lines in
 * development (pino-pretty, in-process, no worker). Nothing secret is logged: upstream messages are
 * redacted at the source, request headers and bodies are never logged, and `redact` drops the
 * fields that could carry a credential should one ever be passed.
 */
export function createLogger(options: { level: LogLevel; production: boolean; destination?: NodeJS.WritableStream }): Logger {
  const base = {
    level: options.level,
    base: { service: 'campaign-graph' },
    redact: { paths: ['*.authorization', '*.apiKey', '*.headers', 'apiKey', 'authorization'], remove: true },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (options.production || options.destination) return pino(base, options.destination ?? process.stdout);
  return pino(base, prettyStream());
}

function prettyStream(): NodeJS.WritableStream {
  // pino-pretty as a stream in this process: readable logs for `npm start` without a worker thread.
  // sync: a line written just before process.exit (a failure to start) is not lost. Loaded here,
  // not at start-up: production logs JSON and never needs its 30 modules.
  const pretty = createRequire(import.meta.url)('pino-pretty') as (options: object) => NodeJS.WritableStream;
  return pretty({ colorize: process.stdout.isTTY, singleLine: true, ignore: 'pid,hostname,service', sync: true });
}


/** yoga's logger interface over pino: its errors become one JSON line each, with the error as a field. */
export function yogaLogger(logger: Logger): YogaLogger {
  const write = (level: 'debug' | 'info' | 'warn' | 'error') => (...args: unknown[]) => {
    const [first, ...rest] = args;
    if (first instanceof Error) logger[level]({ err: first }, first.message);
    else logger[level](rest.length ? { details: rest.map(String) } : {}, String(first));
  };
  return { debug: write('debug'), info: write('info'), warn: write('warn'), error: write('error') };
}

/** A caller's request id is kept when it is sane: 1 to 128 of letters, digits and `._:-`. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestIdOf(header: string | null): string {
  return header && SANE_REQUEST_ID.test(header) ? header : randomUUID();
}

/**
 * `x-request-id` on every response (the caller's own when sane, else a new UUID), and one log line
 * per GraphQL request: request id, operation name, HTTP status, duration, upstream calls, cache hits,
 * shared calls, stale answers and error codes; and the trace id when tracing is on.
 */
export function requestLog(logger: Logger, contextOf: (request: Request) => GatewayContext | undefined): Plugin<GatewayContext> {
  const started = new WeakMap<Request, { id: string; at: number }>();
  return {
    onRequest({ request }) {
      started.set(request, { id: requestIdOf(request.headers.get('x-request-id')), at: performance.now() });
    },
    onResponse({ request, response }) {
      const meta = started.get(request) ?? { id: requestIdOf(null), at: performance.now() };
      response.headers.set('x-request-id', meta.id);
      const context = contextOf(request);
      if (!context && new URL(request.url).pathname !== '/graphql') return; // /health, /ready, /metrics, GraphiQL assets: not worth a line each
      const ledger = context?.ledger;
      logger.info(
        {
          requestId: meta.id,
          operation: ledger?.operationName ?? null,
          status: response.status,
          durationMs: Math.round((performance.now() - meta.at) * 10) / 10,
          upstreamCalls: ledger?.upstreamCalls ?? 0,
          cacheHits: ledger?.cacheHits ?? 0,
          sharedCalls: ledger?.sharedCalls ?? 0,
          staleAnswers: ledger?.staleCalls ?? 0,
          responseCache: ledger?.responseCacheHit ?? false,
          ...(ledger?.span ? { traceId: ledger.span.spanContext().traceId } : {}),
        },
        'request',
      );
    },
  };
}
