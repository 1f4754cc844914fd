import { createRequire } from 'node:module';
import {
  diag,
  DiagLogLevel,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapPropagator,
  type Tracer,
} from '@opentelemetry/api';
import type * as OtelCore from '@opentelemetry/core';
import type * as OtlpHttpJson from '@opentelemetry/exporter-trace-otlp-http';
import type * as OtlpHttpProto from '@opentelemetry/exporter-trace-otlp-proto';
import type * as OtelResources from '@opentelemetry/resources';
import type * as OtelTraceBase from '@opentelemetry/sdk-trace-base';
import type { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVICE_NAME, ATTR_SERVICE_VERSION } from '@opentelemetry/semantic-conventions';
import type { ATTR_GRAPHQL_OPERATION_NAME, ATTR_GRAPHQL_OPERATION_TYPE } from '@opentelemetry/semantic-conventions/incubating';
import { getOperationAST, Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from 'pino';
import type { GatewayContext } from './context.js';
import type { CallLedger } from './http/callLedger.js';
import { outcomeOf } from './metrics/metricsPlugin.js';

/** OTEL_TRACES_SAMPLER's values (the specification's built-in samplers). */
export const TRACE_SAMPLERS = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
] as const;

/** Tracing as src/config.ts reads it from the OTEL_* variables; null there means off. */
export interface TracingSettings {
  /** Where spans are posted: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as given, else OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`. */
  url: string;
  /** OTEL_EXPORTER_OTLP_(TRACES_)PROTOCOL; both are OTLP over HTTP. */
  protocol: 'http/protobuf' | 'http/json';
  /** OTEL_EXPORTER_OTLP_(TRACES_)HEADERS: often a backend's credentials. Never logged, never in a span. */
  headers: Record<string, string>;
  timeoutMs: number;
  compression: 'gzip' | 'none';
  /** OTEL_SERVICE_NAME, default `campaign-graph`. */
  serviceName: string;
  /** OTEL_RESOURCE_ATTRIBUTES (`deployment.environment.name=prod,...`). */
  resourceAttributes: Record<string, string>;
  /** OTEL_TRACES_SAMPLER, default parentbased_always_on (a caller's sampling decision is kept). */
  sampler: (typeof TRACE_SAMPLERS)[number];
  /** OTEL_TRACES_SAMPLER_ARG for the ratio samplers, 0..1. */
  samplerRatio: number;
  /** OTEL_BSP_*: the batch span processor. */
  batch: { scheduledDelayMs: number; exportTimeoutMs: number; maxQueueSize: number; maxExportBatchSize: number };
}

/** The gateway's tracing while it is on: the tracer the stages and the plugin start spans with. */
export interface Tracing {
  readonly tracer: Tracer;
  /** The yoga plugin: a span per GraphQL operation (see {@link operationSpans}). */
  readonly plugin: Plugin<GatewayContext>;
  /** Exports every span that has ended, now; rejects when the export fails. */
  forceFlush(): Promise<void>;
  /** Exports what is left (for at most 5 s) and stops the exporter (gateway.close()); never rejects. */
  shutdown(): Promise<void>;
}

/**
 * Span attribute names: the semantic conventions' own where they have one (the type annotations
 * check each name against @opentelemetry/semantic-conventions at compile time; the package itself
 * is not loaded), `campaign_graph.*` for the gateway's own figures.
 */
const ATTR = {
  operationName: 'graphql.operation.name' as typeof ATTR_GRAPHQL_OPERATION_NAME,
  operationType: 'graphql.operation.type' as typeof ATTR_GRAPHQL_OPERATION_TYPE,
  method: 'http.request.method' as typeof ATTR_HTTP_REQUEST_METHOD,
  status: 'http.response.status_code' as typeof ATTR_HTTP_RESPONSE_STATUS_CODE,
  outcome: 'campaign_graph.outcome',
  errorCodes: 'campaign_graph.error_codes',
  upstreamCalls: 'campaign_graph.upstream_calls',
  cacheHits: 'campaign_graph.cache_hits',
  sharedCalls: 'campaign_graph.shared_calls',
  staleAnswers: 'campaign_graph.stale_answers',
  responseCacheHit: 'campaign_graph.response_cache_hit',
} as const;
const SERVICE_NAME: typeof ATTR_SERVICE_NAME = 'service.name';
const SERVICE_VERSION: typeof ATTR_SERVICE_VERSION = 'service.version';

/**
 * Starts tracing when `settings` says so; null (and nothing of the SDK loaded or created) when
 * they are null. The SDK is required here, on demand: its packages are CommonJS (Node resolves
 * their `main`), so this is the same module instance an `import` would give, without the start-up
 * cost of loading it in every process that traces nothing.
 *
 * The provider is this gateway's own and is not registered globally, and no global context manager
 * is set: upstream call spans find their operation through the request's call ledger (an
 * AsyncLocalStorage that DataLoader batches and shared calls keep), so two gateways in one
 * process (tests) each export their own spans. The one global touched is OpenTelemetry's `diag`
 * logger: the SDK's own warnings (an export that failed) go to `logger` at warn level.
 */
export function startTracing(settings: TracingSettings | null, logger?: Logger): Tracing | null {
  if (!settings) return null;
  const require = createRequire(import.meta.url);
  const { W3CTraceContextPropagator } = require('@opentelemetry/core') as typeof OtelCore;
  const { resourceFromAttributes, defaultResource } = require('@opentelemetry/resources') as typeof OtelResources;
  const sdk = require('@opentelemetry/sdk-trace-base') as typeof OtelTraceBase;
  const { OTLPTraceExporter } =
    settings.protocol === 'http/json'
      ? (require('@opentelemetry/exporter-trace-otlp-http') as typeof OtlpHttpJson)
      : (require('@opentelemetry/exporter-trace-otlp-proto') as typeof OtlpHttpProto);

  if (logger) {
    const warn = (message: string, ...args: unknown[]) => logger.warn(args.length ? { details: args.map(String) } : {}, `opentelemetry: ${readable(message)}`);
    diag.setLogger({ error: warn, warn, info: () => {}, debug: () => {}, verbose: () => {} }, { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true });
  }
  const exporter = new OTLPTraceExporter({
    url: settings.url,
    headers: settings.headers,
    timeoutMillis: settings.timeoutMs,
    // The exporter's CompressionAlgorithm enum has these two string values.
    compression: settings.compression as NonNullable<ConstructorParameters<typeof OtlpHttpJson.OTLPTraceExporter>[0]>['compression'],
  });
  const provider = new sdk.BasicTracerProvider({
    resource: defaultResource().merge(
      resourceFromAttributes({ ...settings.resourceAttributes, [SERVICE_NAME]: settings.serviceName, [SERVICE_VERSION]: packageVersion(require) }),
    ),
    sampler: sampler(sdk, settings),
    spanProcessors: [
      new sdk.BatchSpanProcessor(exporter, {
        scheduledDelayMillis: settings.batch.scheduledDelayMs,
        exportTimeoutMillis: settings.batch.exportTimeoutMs,
        maxQueueSize: settings.batch.maxQueueSize,
        maxExportBatchSize: settings.batch.maxExportBatchSize,
      }),
    ],
  });
  const tracer = provider.getTracer('campaign-graph', packageVersion(require));
  let stopped: Promise<void> | undefined;
  return {
    tracer,
    plugin: operationSpans(tracer, new W3CTraceContextPropagator()),
    forceFlush: () => provider.forceFlush(),
    // Never fails and never holds a shutdown for long: an unreachable collector costs spans, not a clean exit.
    shutdown: () =>
      (stopped ??= withinMs(provider.shutdown(), SHUTDOWN_MS).then(
        (done) => {
          if (!done) logger?.warn(`opentelemetry: spans not exported within ${SHUTDOWN_MS} ms of shutdown were dropped`);
        },
        (error: unknown) => logger?.warn(`opentelemetry: exporting the last spans failed: ${error instanceof Error ? error.message : String(error)}`),
      )),
  };
}

/** The longest gateway.close() waits for the last export (main.ts gives the whole shutdown 10 s). */
const SHUTDOWN_MS = 5000;

/** True when `promise` settled within `ms`; its rejection passes through. */
function withinMs(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
    timer.unref();
  });
  return Promise.race([promise.then(() => true), late]).finally(() => clearTimeout(timer));
}

/** The SDK hands diag a JSON-serialised error; the log line gets its message. */
function readable(message: string): string {
  try {
    const parsed = JSON.parse(message) as { message?: unknown };
    if (parsed && typeof parsed.message === 'string') return parsed.message;
  } catch {
    // plain text already
  }
  return message;
}

function sampler(sdk: typeof OtelTraceBase, settings: TracingSettings): OtelTraceBase.Sampler {
  const root = settings.sampler.endsWith('always_off')
    ? new sdk.AlwaysOffSampler()
    : settings.sampler.endsWith('traceidratio')
      ? new sdk.TraceIdRatioBasedSampler(settings.samplerRatio)
      : new sdk.AlwaysOnSampler();
  return settings.sampler.startsWith('parentbased_') ? new sdk.ParentBasedSampler({ root }) : root;
}

function packageVersion(require: NodeJS.Require): string {
  try {
    return (require('../package.json') as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

const headerGetter: TextMapGetter<Headers> = {
  get: (headers, key) => headers.get(key) ?? undefined,
  keys: (headers) => [...headers.keys()],
};

interface OperationTrace {
  /** When the request arrived (epoch ms, sub-millisecond). */
  startedAt: number;
  name: string | null;
  type: string | null;
  span?: Span;
  ledger?: CallLedger;
}

/**
 * A SERVER span per GraphQL request at `/graphql`, from its arrival to its response, named as the
 * semantic conventions say: `query Dashboard`, `query` for an anonymous one, `GraphQL Operation`
 * when the request never got as far as a parsed document (401, a parse error). It continues the
 * caller's W3C `traceparent` (and `tracestate`): the span is the caller's span's child, and the
 * sampler keeps the caller's sampling decision. It is put on the request's call ledger before
 * execution, so each upstream call's span (src/http/tracingStage.ts) is its child, and it ends with
 * the outcome (ok, partial, error), the error codes and the ledger's figures.
 *
 * Listed last among the plugins: its onResultProcess sees each error's final code. It takes the
 * ledger when the context is built (every request that gets that far, response-cache hits too).
 * Nothing of the document, the variables or an error message is recorded: they can hold provider
 * ids.
 */
export function operationSpans(tracer: Tracer, propagator: TextMapPropagator<Headers>, clock: () => number = () => performance.timeOrigin + performance.now()): Plugin<GatewayContext> {
  const operations = new WeakMap<Request, OperationTrace>();
  const begin = (request: Request, operation: OperationTrace): Span => {
    if (!operation.span) {
      const parent: Context = propagator.extract(ROOT_CONTEXT, request.headers, headerGetter);
      const attributes: Attributes = { [ATTR.method]: request.method };
      if (operation.type) attributes[ATTR.operationType] = operation.type;
      if (operation.name) attributes[ATTR.operationName] = operation.name;
      operation.span = tracer.startSpan(spanName(operation), { kind: SpanKind.SERVER, startTime: operation.startedAt, attributes }, parent);
    }
    return operation.span;
  };
  return {
    onRequest({ request, url }) {
      if (url.pathname !== '/graphql') return;
      operations.set(request, { startedAt: clock(), name: null, type: null });
    },
    onParse({ context }) {
      return ({ result }) => {
        const { request, params } = context as { request?: Request; params?: { operationName?: string } };
        const operation = request && operations.get(request);
        if (!operation || !isDocument(result)) return;
        const ast = getOperationAST(result, params?.operationName);
        operation.type = ast?.operation ?? null;
        operation.name = ast?.name?.value ?? null;
      };
    },
    onContextBuilding() {
      return ({ context }) => {
        const { request, ledger } = context as GatewayContext & { request?: Request };
        const operation = request && operations.get(request);
        if (!operation || !ledger) return;
        operation.ledger = ledger;
        ledger.span = begin(request, operation);
      };
    },
    onResultProcess({ request, result }) {
      const operation = operations.get(request);
      if (!operation) return;
      const span = begin(request, operation);
      const outcome = outcomeOf(result);
      span.setAttribute(ATTR.outcome, outcome);
      const codes = errorCodes(result);
      if (codes.length) span.setAttribute(ATTR.errorCodes, codes);
      if (outcome === 'error') span.setStatus({ code: SpanStatusCode.ERROR, message: codes.join(', ') });
    },
    onResponse({ request, response }) {
      const operation = operations.get(request);
      if (!operation?.span) return; // not a GraphQL request (GraphiQL's page), or it never got a result
      operations.delete(request);
      const { span, ledger } = operation;
      span.setAttribute(ATTR.status, response.status);
      if (ledger) {
        span.setAttributes({
          [ATTR.upstreamCalls]: ledger.upstreamCalls,
          [ATTR.cacheHits]: ledger.cacheHits,
          [ATTR.sharedCalls]: ledger.sharedCalls,
          [ATTR.staleAnswers]: ledger.staleCalls,
          [ATTR.responseCacheHit]: ledger.responseCacheHit,
        });
      }
      if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      span.end();
    },
  };
}

function spanName(operation: OperationTrace): string {
  if (!operation.type) return 'GraphQL Operation';
  return operation.name ? `${operation.type} ${operation.name}` : operation.type;
}

function isDocument(value: unknown): value is DocumentNode {
  return !!value && typeof value === 'object' && (value as DocumentNode).kind === Kind.DOCUMENT;
}

/** The distinct `extensions.code`s of a result's errors, sorted: a bounded set (the contract's codes). */
function errorCodes(result: unknown): string[] {
  const results = Array.isArray(result) ? result : [result];
  const codes = new Set<string>();
  for (const single of results) {
    if (!single || typeof single !== 'object' || Symbol.asyncIterator in single) continue;
    for (const error of (single as ExecutionResult).errors ?? []) {
      const code = (error as { extensions?: { code?: unknown } }).extensions?.code;
      if (typeof code === 'string') codes.add(code);
    }
  }
  return [...codes].sort();
}
