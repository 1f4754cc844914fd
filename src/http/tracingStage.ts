import { AsyncLocalStorage } from 'node:async_hooks';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type Attributes, type Span, type Tracer } from '@opentelemetry/api';
import type { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_REQUEST_RESEND_COUNT, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type { ATTR_URL_TEMPLATE } from '@opentelemetry/semantic-conventions/incubating';
import type { CacheOutcome, CacheRecorder } from './cacheStage.js';
import { currentCall } from './callLedger.js';
import { attemptStatus } from './metricsStage.js';
import type { CallNext, Stage, UpstreamCall, UpstreamResult } from './pipeline.js';
import { UpstreamFailure } from './upstreamFailure.js';

/**
 * Span attribute names: the semantic conventions' where they have one (each checked against
 * @opentelemetry/semantic-conventions by its type; the package is not loaded at run time), and
 * `campaign_graph.*` for the gateway's own. Values are bounded: route templates, never a path, an
 * id, a query string, a body, a header or a message.
 */
export const UPSTREAM_ATTRIBUTES = {
  provider: 'campaign_graph.provider',
  /** `GET /v1/campaigns/:id/stats`: the route as its definition writes it (the metrics' `route` label). */
  route: 'campaign_graph.route',
  method: 'http.request.method' as typeof ATTR_HTTP_REQUEST_METHOD,
  urlTemplate: 'url.template' as typeof ATTR_URL_TEMPLATE,
  status: 'http.response.status_code' as typeof ATTR_HTTP_RESPONSE_STATUS_CODE,
  errorType: 'error.type' as typeof ATTR_ERROR_TYPE,
  resendCount: 'http.request.resend_count' as typeof ATTR_HTTP_REQUEST_RESEND_COUNT,
  /** Call spans: `hit`, `miss`, `stale` (a failure answered from the cache), `off` (not cached). */
  cache: 'campaign_graph.cache',
  /** Call spans: answered by an identical call already in flight (its attempts are in that call's trace). */
  shared: 'campaign_graph.shared',
  /** Call spans: the HTTP attempts this call made (0: answered or refused without one). */
  attempts: 'campaign_graph.attempts',
  /** Attempt spans: 1 for the first, counting up with each retry. */
  attempt: 'campaign_graph.attempt',
  /** Attempt spans: the metrics' status label (`200`, `not_found`, `timeout`, `network`, `cancelled`, ...). */
  attemptStatus: 'campaign_graph.attempt_status',
  notFound: 'campaign_graph.not_found',
  /** The failure was the gateway's own decision (open circuit, spent quota, caller gone), not the provider's answer. */
  local: 'campaign_graph.local',
  retryAfter: 'campaign_graph.retry_after_s',
} as const;
const A = UPSTREAM_ATTRIBUTES;

/** What the call span of the call running now has seen below it. */
interface CallTrace {
  span: Span;
  attempts: number;
  cache: CacheOutcome | null;
}

/** The call span of the stages and the attempt running now: set by {@link TracingStage} around the stages below it. */
const callTraces = new AsyncLocalStorage<CallTrace>();

/**
 * Upstream tracing, outermost stage: a span per upstream call, the child of the operation's span
 * (the request's call ledger carries it, so calls from DataLoader batch functions land in the
 * right trace too), named `MIGMA GET /v1/campaigns/:id/stats`. Being outermost it sees every call,
 * those the gateway answers itself included: a cache hit (`campaign_graph.cache: hit`, no
 * attempt), a call shared with one in flight (`campaign_graph.shared`), an open circuit or a spent
 * quota (an error with `campaign_graph.local`, no attempt). Its attributes: provider, route
 * template, method, the final HTTP status, how many attempts were made, the cache outcome, and on
 * failure the contract's code as `error.type` (and the span's status ERROR). The HTTP attempts
 * themselves are the spans of {@link AttemptTracingStage}, its children.
 */
export class TracingStage implements Stage {
  readonly name = 'tracing';

  constructor(private readonly tracer: Tracer) {}

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const span = this.tracer.startSpan(`${call.provider} ${call.route.method} ${call.route.template}`, { kind: SpanKind.INTERNAL, attributes: routeAttributes(call) }, parentContext(currentCall()?.ledger.span));
    const seen: CallTrace = { span, attempts: 0, cache: null };
    let result: UpstreamResult | null = null;
    let failed = false;
    try {
      result = await callTraces.run(seen, () => next(call));
      return result;
    } catch (error) {
      failed = true;
      recordFailure(span, error);
      throw error;
    } finally {
      const answeredByCache = seen.cache === 'hit' || seen.cache === 'stale';
      span.setAttributes({
        [A.cache]: seen.cache ?? 'off',
        [A.attempts]: seen.attempts,
        // Nothing below answered it, yet it has an answer: the call in flight it waited for did.
        [A.shared]: !failed && !answeredByCache && seen.attempts === 0,
      });
      if (!failed && !answeredByCache) {
        if (result) span.setAttribute(A.status, result.status);
        else span.setAttribute(A.notFound, true);
      }
      span.end();
    }
  }
}

/**
 * Upstream tracing, innermost stage: a CLIENT span per HTTP attempt (each retry is one more),
 * named as the HTTP semantic conventions say (`GET /v1/campaigns/:id/stats`), the child of its
 * call's span: provider, route template, attempt number (`http.request.resend_count` from the
 * second on), HTTP status, and on failure the contract's code as `error.type`. Its time is the
 * provider's: quota waits and retry backoff are in the call span only.
 */
export class AttemptTracingStage implements Stage {
  readonly name = 'attempt-tracing';

  constructor(private readonly tracer: Tracer) {}

  async handle(call: UpstreamCall, next: CallNext): Promise<UpstreamResult | null> {
    const owner = callTraces.getStore();
    if (owner) owner.attempts++;
    const attributes = routeAttributes(call);
    attributes[A.attempt] = call.attempt;
    if (call.attempt > 1) attributes[A.resendCount] = call.attempt - 1;
    const span = this.tracer.startSpan(`${call.route.method} ${call.route.template}`, { kind: SpanKind.CLIENT, attributes }, parentContext(owner?.span ?? currentCall()?.ledger.span));
    try {
      const result = await next(call);
      if (result) span.setAttribute(A.status, result.status);
      else span.setAttribute(A.notFound, true);
      span.setAttribute(A.attemptStatus, result === null ? 'not_found' : String(result.status));
      return result;
    } catch (error) {
      span.setAttribute(A.attemptStatus, attemptStatus(error));
      recordFailure(span, error);
      throw error;
    } finally {
      span.end();
    }
  }
}

/**
 * The cache stage's lookups, as the call span sees them: given to the cache stage as a recorder
 * (with the metrics' one, `cacheRecorders`), it notes the outcome on the span of the call it runs in.
 */
export const traceCacheLookups: CacheRecorder = {
  cacheLookup(_provider, _kind, outcome) {
    const seen = callTraces.getStore();
    if (seen) seen.cache = outcome;
  },
};

function routeAttributes(call: UpstreamCall): Attributes {
  return {
    [A.provider]: call.provider,
    [A.route]: `${call.route.method} ${call.route.template}`,
    [A.method]: call.route.method,
    [A.urlTemplate]: call.route.template,
  };
}

function parentContext(parent: Span | undefined) {
  return parent ? trace.setSpan(ROOT_CONTEXT, parent) : ROOT_CONTEXT;
}

/** The failure's code, status and flags; never its message (upstream text can carry ids). */
function recordFailure(span: Span, error: unknown): void {
  if (!(error instanceof UpstreamFailure)) {
    span.setAttribute(A.errorType, 'INTERNAL_SERVER_ERROR');
    span.setStatus({ code: SpanStatusCode.ERROR, message: 'INTERNAL_SERVER_ERROR' });
    return;
  }
  span.setAttribute(A.errorType, error.code);
  if (error.upstreamStatus !== undefined) span.setAttribute(A.status, error.upstreamStatus);
  if (error.retryAfter !== undefined) span.setAttribute(A.retryAfter, error.retryAfter);
  if (error.local) span.setAttribute(A.local, true);
  span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
}
