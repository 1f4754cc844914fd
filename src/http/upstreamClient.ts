import { createHash } from 'node:crypto';
import { Pool, errors as undiciErrors } from 'undici';
import { currentCall } from './callLedger.js';
import { identityOf, type CallArgs } from './callKey.js';
import { composePipeline, type CallNext, type QueryParams, type Stage, type UpstreamCall, type UpstreamResult } from './pipeline.js';
import { NOT_FOUND, UnexpectedBody, type Route } from './route.js';
import { codeForStatus, describeStatus, parseRetryAfter } from './statusMapping.js';
import { UpstreamFailure, type UpstreamFailureCode } from './upstreamFailure.js';

/** What a provider's error body says, as its definition reads it. */
export interface UpstreamErrorInfo {
  message?: string;
  code?: string;
}

/** How to talk to one provider: everything its definition says about the wire, plus its credential. */
export interface UpstreamClientOptions {
  /** Name used in messages and `extensions.provider` (e.g. `EMAILSENDX`). */
  provider: string;
  /** scheme + host (+ port). */
  baseUrl: string;
  apiKey: string;
  /** The provider's auth header(s) for a key. */
  authHeaders: (apiKey: string) => Record<string, string>;
  /** Reads the provider's error body (JSON-parsed, or the raw text when it is not JSON). */
  readError: (body: unknown) => UpstreamErrorInfo;
  /**
   * Unwraps a 2xx body's envelope (`{success, data}`, `{ok, data}`) and returns the data, or
   * {@link NOT_FOUND} for an answer that means "no such object"; throws {@link UnexpectedBody}.
   * Without it the whole body is the data.
   */
  unwrap?: (body: unknown, route: Route) => unknown;
  timeoutMs: number;
  /** The pipeline every call passes, outermost first. */
  stages: readonly Stage[];
  /** Keep-alive connections to the provider. */
  connections?: number;
}


const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * One provider's HTTP client: every call of a {@link Route} runs through the stages, then through
 * one undici attempt (keep-alive pool, auth header, timeout, the caller's abort signal, JSON that
 * survives empty or malformed bodies, the status-to-code mapping, the envelope and the route's
 * reader). Failures are {@link UpstreamFailure}s; the API key never appears in one.
 */
export type { CallArgs } from './callKey.js';

export class UpstreamClient {
  readonly provider: string;
  /** Hash of provider, base URL and key: what `UpstreamCall.scope` carries instead of the key. */
  readonly scope: string;
  private readonly pool: Pool;
  private readonly pipeline: CallNext;
  /** What every request carries: built once (the auth header included). */
  private readonly headers: Readonly<Record<string, string>>;

  constructor(private readonly options: UpstreamClientOptions) {
    this.provider = options.provider;
    this.scope = credentialScope(options.provider, options.baseUrl, options.apiKey);
    this.pool = new Pool(options.baseUrl, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
    this.pipeline = composePipeline(options.stages, (call) => this.attempt(call));
    this.headers = { accept: 'application/json', 'user-agent': 'campaign-graph', ...options.authHeaders(options.apiKey) };
  }

  /** Calls a route; the route's data, or null for a not-found lookup (`notFoundAsNull`). */
  async call<T>(route: Route<T>, args: CallArgs = {}): Promise<T | null> {
    const call: UpstreamCall = {
      ...identityOf(this.provider, this.scope, route, args),
      method: route.method,
      idempotent: route.idempotent,
      signal: args.signal,
      attempt: 1,
    };
    const result = await this.pipeline(call);
    return result === null ? null : (result.data as T);
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** One HTTP attempt: the innermost step of the pipeline. */
  private async attempt(call: UpstreamCall): Promise<UpstreamResult | null> {
    const { timeoutMs } = this.options;
    const ledger = currentCall()?.ledger;
    if (ledger) ledger.upstreamCalls++;
    // One controller for the timeout and the caller's signal (cheaper than AbortSignal.timeout + any).
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const cancel = () => controller.abort();
    if (call.signal?.aborted) controller.abort();
    else call.signal?.addEventListener('abort', cancel, { once: true });
    const signal = controller.signal;
    const headers: Record<string, string> = { ...this.headers };
    let payload: string | undefined;
    if (call.body !== undefined) {
      payload = JSON.stringify(call.body);
      headers['content-type'] = 'application/json';
    }
    let status: number | undefined;
    let responseHeaders: UpstreamResult['headers'];
    let text: string;
    try {
      const response = await this.pool.request({ method: call.method, path: call.path + queryString(call.query), headers, body: payload, signal });
      status = response.statusCode;
      responseHeaders = response.headers;
      const length = Number(response.headers['content-length'] ?? 0);
      if (length > MAX_BODY_BYTES) {
        response.body.destroy();
        throw this.failure('UPSTREAM_BAD_RESPONSE', `answered with a ${length}-byte body, over the gateway's limit`, { upstreamStatus: status });
      }
      text = await response.body.text();
    } catch (error) {
      if (error instanceof UpstreamFailure) throw error;
      if (timedOut) {
        // Headers without the whole body (a body trickling in) is a timeout too, said apart from silence.
        throw this.failure('UPSTREAM_TIMEOUT', status === undefined ? `did not answer within ${timeoutMs} ms` : `started answering (${status}) but did not finish within ${timeoutMs} ms`);
      }
      if (call.signal?.aborted) throw this.failure('UPSTREAM_UNAVAILABLE', 'call cancelled: the client went away', { local: true });
      const cause = describeNetworkError(error);
      throw this.failure('UPSTREAM_UNAVAILABLE', status === undefined ? `could not be reached (${cause})` : `dropped the connection mid-answer (${status}, ${cause})`);
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', cancel);
    }

    // The body decides, not its content-type: JSON labelled text/plain is read like any answer.
    const body = parseBody(text);
    const page = body.kind === 'text' ? htmlPage(text, responseHeaders['content-type']) : null;
    if (status >= 200 && status < 300) {
      if (body.kind !== 'json') {
        const what = body.kind === 'empty' ? 'an empty body' : page ? `an HTML page, not JSON${page.title ? ` ("${page.title}")` : ''}` : 'a body that is not JSON';
        throw this.failure('UPSTREAM_BAD_RESPONSE', `answered with ${what}`, { upstreamStatus: status });
      }
      return this.read(call.route, body.value, status, responseHeaders);
    }
    if (status === 404 && call.route.notFoundAsNull) return null;

    // An HTML error page (a proxy's, a load balancer's) is passed on by its title: markup never reaches a message.
    const info = this.options.readError(body.kind === 'json' ? body.value : page ? page.title : text);
    const said = info.message ? `: ${info.message}` : '';
    const code = codeForStatus(status);
    const retryAfter = code === 'UPSTREAM_RATE_LIMITED' ? parseRetryAfter(responseHeaders['retry-after']) : undefined;
    throw this.failure(code, `${describeStatus(status)}${said}`, { upstreamStatus: status, upstreamCode: info.code, retryAfter });
  }

  /** The envelope, then the route's reader; an unexpected body is UPSTREAM_BAD_RESPONSE. */
  private read(route: Route, body: unknown, status: number, headers: UpstreamResult['headers']): UpstreamResult | null {
    try {
      const data = this.options.unwrap ? this.options.unwrap(body, route) : body;
      if (data === NOT_FOUND) {
        if (route.notFoundAsNull) return null;
        throw new UnexpectedBody('it says the object does not exist');
      }
      return { status, data: route.read(data), headers };
    } catch (error) {
      if (!(error instanceof UnexpectedBody)) throw error;
      throw this.failure('UPSTREAM_BAD_RESPONSE', `answered with an unexpected body: ${error.why}`, {
        upstreamStatus: status,
        upstreamCode: error.upstreamCode,
      });
    }
  }

  /**
   * An {@link UpstreamFailure} of this provider: `what` follows the provider's name in the message.
   * The API key is removed before the text is shortened, so no part of it survives a cut.
   */
  private failure(code: UpstreamFailureCode, what: string, details: ConstructorParameters<typeof UpstreamFailure>[3] = {}): UpstreamFailure {
    const clean = Object.fromEntries(Object.entries(details).filter(([, v]) => v !== undefined));
    if (typeof clean.upstreamCode === 'string') clean.upstreamCode = truncate(this.redact(clean.upstreamCode), 100);
    return new UpstreamFailure(code, this.provider, truncate(this.redact(`${this.provider} ${what}`), 400), clean);
  }

  /** Removes the API key from text that came from (or went to) the provider. */
  private redact(text: string): string {
    const key = this.options.apiKey;
    return key ? text.split(key).join('[redacted]') : text;
  }
}

/**
 * A credential's scope: a hash of provider, base URL and key. Two gateways with the same key share
 * cached answers; a different key (or account host) never sees them. The key cannot be recovered.
 */
export function credentialScope(provider: string, baseUrl: string, apiKey: string): string {
  return createHash('sha256').update(`campaign-graph/scope/v1\u0000${provider}\u0000${baseUrl}\u0000${apiKey}`).digest('base64url').slice(0, 22);
}

type ParsedBody = { kind: 'json'; value: unknown } | { kind: 'empty' } | { kind: 'text' };

function parseBody(text: string): ParsedBody {
  if (!text.trim()) return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'text' };
  }
}

/** An HTML page (by its content-type or its doctype), with the text of its title; null for other text. */
function htmlPage(text: string, contentType: string | string[] | undefined): { title: string } | null {
  const type = (Array.isArray(contentType) ? contentType[0] : contentType) ?? '';
  if (!/\btext\/html\b/i.test(type) && !/^\s*<(!doctype html|html)[\s>]/i.test(text)) return null;
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(text)?.[1] ?? '';
  return { title: truncate(decodeEntities(title.replace(/<[^>]*>/g, ' ')), 120) };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : Number(name.slice(1));
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return ENTITIES[name.toLowerCase()] ?? entity;
  });
}

function queryString(query: QueryParams): string {
  if (query.length === 0) return '';
  return `?${new URLSearchParams(query as Array<[string, string]>).toString()}`;
}

function describeNetworkError(error: unknown): string {
  if (error instanceof undiciErrors.UndiciError) return error.code ?? error.message;
  const code = (error as { code?: string })?.code;
  return code ?? (error instanceof Error ? error.message : 'unknown error');
}

function truncate(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 3)}...` : oneLine;
}
