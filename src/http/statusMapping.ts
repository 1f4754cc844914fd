import type { UpstreamFailureCode } from './upstreamFailure.js';

/**
 * The one mapping of a provider's non-2xx HTTP status to the contract's error code. A 404 reaches
 * here only where the route does not read it as "no such object".
 */
export function codeForStatus(status: number): UpstreamFailureCode {
  if (status === 401 || status === 403) return 'UPSTREAM_UNAUTHORIZED';
  if (status === 429) return 'UPSTREAM_RATE_LIMITED';
  if (status === 408) return 'UPSTREAM_TIMEOUT';
  if (status >= 500) return 'UPSTREAM_UNAVAILABLE';
  if (status === 400 || status === 422 || TOO_LARGE.includes(status)) return 'BAD_USER_INPUT';
  return 'UPSTREAM_BAD_RESPONSE';
}

/**
 * A request too large for the provider to read (413 body, 414 URL, 431 headers): the client's
 * arguments made it so (an id or a filter value thousands of characters long), as with a 400.
 */
const TOO_LARGE = [413, 414, 431];

/** The words that follow the provider's name in the message of a failed status. */
export function describeStatus(status: number): string {
  switch (codeForStatus(status)) {
    case 'UPSTREAM_UNAUTHORIZED':
      return `refused the API key (${status})`;
    case 'UPSTREAM_RATE_LIMITED':
      return `rate limit reached (${status})`;
    case 'UPSTREAM_TIMEOUT':
      return `timed out (${status})`;
    case 'UPSTREAM_UNAVAILABLE':
      return `failed (${status})`;
    case 'BAD_USER_INPUT':
      return TOO_LARGE.includes(status) ? `rejected the request as too large (${status})` : `rejected the request (${status})`;
    default:
      return `answered ${status}`;
  }
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
