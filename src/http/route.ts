/**
 * The kinds of data an upstream call returns. The cache gives each kind its own TTL, metrics and
 * the cost model group calls by it; a route names its kind once.
 */
export type DataKind = 'campaignList' | 'campaign' | 'stats' | 'logPage' | 'logItem';

/** Thrown by a route's or an envelope's reader when a 2xx body is not what the provider documents. */
export class UnexpectedBody extends Error {
  override readonly name = 'UnexpectedBody';
  constructor(
    readonly why: string,
    /** The provider's own error code, when its envelope carried one. */
    readonly upstreamCode?: string,
  ) {
    super(why);
  }
}

/** Returned by an envelope reader for a 2xx answer that means "no such object" (as a 404 would). */
export const NOT_FOUND: unique symbol = Symbol('not found');

/**
 * One call a provider makes, described once in its definition: method and path template
 * (`GET /v1/campaigns/:id/stats`), what it returns, and how its data is read.
 */
export interface Route<T = unknown> {
  /** Stable name within the provider, e.g. `campaignStats`: metric labels and cache keys use it. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  /** The documented path with `:param` placeholders. */
  readonly template: string;
  readonly kind: DataKind;
  /** Safe to send twice (retries, sharing, caching): GETs are; a POST only when it reads, like a search. */
  readonly idempotent: boolean;
  /** A 404 (or the envelope's not-found) resolves to `null`: single-object lookups. */
  readonly notFoundAsNull: boolean;
  /**
   * Checks the unwrapped data and returns it typed; throws {@link UnexpectedBody}. The result must
   * be plain JSON (no Dates, no class instances): caches store and share it.
   */
  read(data: unknown): T;
  /**
   * Answers of other routes this answer already holds (a list's items are the lookups of each):
   * the cache stores them too, so a later lookup costs no call.
   */
  primes?(data: T): PrimedAnswer[];
}

/** An answer of another route, with the arguments it would be called with. */
export interface PrimedAnswer {
  route: Route;
  params?: Record<string, string>;
  query?: Record<string, string | number | boolean | null | undefined>;
  body?: unknown;
  /** What that route's `read` would return. */
  data: unknown;
}

export interface RouteSpec<T> {
  name: string;
  /** `GET /v1/campaigns/:id`: method, a space, the path template. */
  call: `${'GET' | 'POST'} /${string}`;
  kind: DataKind;
  idempotent?: boolean;
  notFoundAsNull?: boolean;
  read: (data: unknown) => T;
  primes?: (data: T) => PrimedAnswer[];
}

/** Builds a {@link Route} from `call: 'GET /path/:id'` and the rest of its spec. */
export function route<T>(spec: RouteSpec<T>): Route<T> {
  const space = spec.call.indexOf(' ');
  const method = spec.call.slice(0, space) as 'GET' | 'POST';
  return {
    name: spec.name,
    method,
    template: spec.call.slice(space + 1),
    kind: spec.kind,
    idempotent: spec.idempotent ?? method === 'GET',
    notFoundAsNull: spec.notFoundAsNull ?? false,
    read: spec.read,
    primes: spec.primes as Route['primes'],
  };
}

/**
 * The concrete path of a route: each `:name` replaced by its parameter, URI-encoded as UTF-8. A
 * lone surrogate (a client's string can hold one; UTF-8 cannot) becomes U+FFFD, as the query string
 * of every call already writes it (URLSearchParams), where encodeURIComponent would throw.
 * @throws Error when a placeholder has no parameter (a bug in the caller).
 */
export function expandPath(template: string, params: Readonly<Record<string, string>> = {}): string {
  return template.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    const value = params[name];
    if (value === undefined) throw new Error(`route ${template}: no value for :${name}`);
    return encodeURIComponent(value.replace(LONE_SURROGATE, '\uFFFD'));
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
