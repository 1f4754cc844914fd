import { Pool, errors as undiciErrors } from 'undici';
import { UpstreamFailure, type UpstreamFailureCode } from './upstreamFailure.js';

/** What a provider's error body says, as its client parses it. */
export interface UpstreamErrorInfo {
  message?: string;
  code?: string;
}

/**
 * The seam for retries, circuit breaking and rate limiting: every attempt of every upstream call
 * runs through `run`. The default runs it once.
 */
export interface RequestPolicy {
  run<T>(attempt: () => Promise<T>, request: { method: string; path: string; idempotent: boolean; signal?: AbortSignal }): Promise<T>;
}

export const SINGLE_ATTEMPT: RequestPolicy = { run: (attempt) => attempt() };

export interface UpstreamClientOptions {
  /** Display name used in messages and `extensions.provider` (e.g. `EMAILSENDX`). */
  provider: string;
  /** scheme + host (+ port). */
  baseUrl: string;
  apiKey: string;
  /** The provider's auth header(s) for a key. */
  authHeaders: (apiKey: string) => Record<string, string>;
  timeoutMs: number;
  /** Reads the provider's error body (already JSON-parsed, or the raw text when it is not JSON). */
  readError?: (body: unknown) => UpstreamErrorInfo;
  policy?: RequestPolicy;
  /** Keep-alive connections to the provider. */
  connections?: number;
}

export interface UpstreamRequest {
  method?: 'GET' | 'POST';
  /** The provider's documented path, e.g. `/api/v1/campaigns`. */
  path: string;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** The incoming GraphQL request's signal: a client that goes away cancels its upstream calls. */
  signal?: AbortSignal;
  /** Resolve a 404 to `null` instead of failing (single-object lookups). */
  notFoundAsNull?: boolean;
  /** Safe to send twice (retries): GETs are; a POST only when it reads, like a search. */
  idempotent?: boolean;
}

export interface UpstreamResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

const MAX_BODY_BYTES = 64 * 1024 * 1024;

/**
 * The one undici caller of a provider: keep-alive pool, auth header, timeout, the caller's abort
 * signal, JSON parsing that survives empty or malformed bodies, and the mapping of HTTP failures
 * to the contract's error codes (as {@link UpstreamFailure}). The API key never appears in an error.
 */
export class UpstreamClient {
  readonly provider: string;
  private readonly pool: Pool;
  private readonly options: UpstreamClientOptions;
  private readonly policy: RequestPolicy;

  constructor(options: UpstreamClientOptions) {
    this.options = options;
    this.provider = options.provider;
    this.policy = options.policy ?? SINGLE_ATTEMPT;
    this.pool = new Pool(options.baseUrl, {
      connections: options.connections ?? 16,
      keepAliveTimeout: 30_000,
      pipelining: 1,
    });
  }

  /** Sends a request and returns the parsed JSON body; `null` for a 404 when `notFoundAsNull`. */
  async json(request: UpstreamRequest): Promise<unknown> {
    const response = await this.request(request);
    return response === null ? null : response.body;
  }

  /** Sends a request; throws {@link UpstreamFailure} for every non-2xx answer (but 404 with `notFoundAsNull`). */
  request(request: UpstreamRequest): Promise<UpstreamResponse | null> {
    const method = request.method ?? 'GET';
    const idempotent = request.idempotent ?? method === 'GET';
    return this.policy.run(() => this.attempt(method, request), { method, path: request.path, idempotent, signal: request.signal });
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private async attempt(method: 'GET' | 'POST', request: UpstreamRequest): Promise<UpstreamResponse | null> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
    const headers: Record<string, string> = {
      accept: 'application/json',
      'user-agent': 'campaign-graph',
      ...this.options.authHeaders(this.options.apiKey),
    };
    let payload: string | undefined;
    if (request.body !== undefined) {
      payload = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    let status: number;
    let responseHeaders: UpstreamResponse['headers'];
    let text: string;
    try {
      const response = await this.pool.request({
        method,
        path: request.path + queryString(request.query),
        headers,
        body: payload,
        signal,
      });
      status = response.statusCode;
      responseHeaders = response.headers;
      const length = Number(response.headers['content-length'] ?? 0);
      if (length > MAX_BODY_BYTES) {
        response.body.destroy();
        throw this.failure('UPSTREAM_BAD_RESPONSE', `answered with a ${length}-byte body, over the gateway's limit`, {
          upstreamStatus: status,
        });
      }
      text = await response.body.text();
    } catch (error) {
      if (error instanceof UpstreamFailure) throw error;
      if (timeout.aborted) {
        throw this.failure('UPSTREAM_TIMEOUT', `did not answer within ${this.options.timeoutMs} ms`);
      }
      if (request.signal?.aborted) {
        throw this.failure('UPSTREAM_UNAVAILABLE', 'call cancelled: the client went away');
      }
      throw this.failure('UPSTREAM_UNAVAILABLE', `could not be reached (${describeNetworkError(error)})`);
    }

    const body = parseBody(text);
    if (status >= 200 && status < 300) {
      if (body.kind !== 'json') {
        throw this.failure(
          'UPSTREAM_BAD_RESPONSE',
          body.kind === 'empty' ? 'answered with an empty body' : 'answered with a body that is not JSON',
          { upstreamStatus: status },
        );
      }
      return { status, body: body.value, headers: responseHeaders };
    }
    if (status === 404 && request.notFoundAsNull) return null;

    const info = this.options.readError?.(body.kind === 'json' ? body.value : text) ?? {};
    const said = info.message ? `: ${info.message}` : '';
    const details = { upstreamStatus: status, upstreamCode: info.code };
    if (status === 401 || status === 403) {
      throw this.failure('UPSTREAM_UNAUTHORIZED', `refused the API key (${status})${said}`, details);
    }
    if (status === 429) {
      const retryAfter = parseRetryAfter(responseHeaders['retry-after']);
      throw this.failure('UPSTREAM_RATE_LIMITED', `rate limit reached (429)${said}`, { ...details, retryAfter });
    }
    if (status === 408) throw this.failure('UPSTREAM_TIMEOUT', `timed out (408)${said}`, details);
    if (status >= 500) throw this.failure('UPSTREAM_UNAVAILABLE', `failed (${status})${said}`, details);
    if (status === 400 || status === 422) {
      throw this.failure('BAD_USER_INPUT', `rejected the request (${status})${said}`, details);
    }
    throw this.failure('UPSTREAM_BAD_RESPONSE', `answered ${status}${said}`, details);
  }

  /**
   * An {@link UpstreamFailure} of this provider: `what` follows the provider's name in the message.
   * The API key is removed before the text is shortened, so no part of it survives a cut. Provider
   * clients use this too, for failures their envelopes report (`ok: false`, `success: false`).
   */
  failure(code: UpstreamFailureCode, what: string, details: ConstructorParameters<typeof UpstreamFailure>[3] = {}): UpstreamFailure {
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

type ParsedBody = { kind: 'json'; value: unknown } | { kind: 'empty' } | { kind: 'text' };

function parseBody(text: string): ParsedBody {
  if (!text.trim()) return { kind: 'empty' };
  try {
    return { kind: 'json', value: JSON.parse(text) };
  } catch {
    return { kind: 'text' };
  }
}

function queryString(query: UpstreamRequest['query']): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null) params.append(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** Retry-After in seconds: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | string[] | undefined, now = Date.now()): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
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
