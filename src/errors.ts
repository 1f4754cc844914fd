import { GraphQLError } from 'graphql';
import { InvalidArgument } from './domain/invalidArgument.js';
import { UpstreamFailure } from './http/upstreamFailure.js';

/** The closed list of error codes a client can see in `extensions.code` (README.md, "Errors"). */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'PROVIDER_NOT_CONFIGURED',
  'UPSTREAM_UNAUTHORIZED',
  'UPSTREAM_RATE_LIMITED',
  'UPSTREAM_TIMEOUT',
  'UPSTREAM_UNAVAILABLE',
  'UPSTREAM_BAD_RESPONSE',
  'UNAUTHENTICATED',
  'QUERY_TOO_COMPLEX',
  'PERSISTED_QUERY_NOT_FOUND',
  // Added to the contract's list: a bug in the gateway itself (message masked).
  'INTERNAL_SERVER_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/** Base class of every error the gateway throws on purpose. */
export class GatewayError extends GraphQLError {
  constructor(message: string, code: ErrorCode, extensions: Record<string, unknown> = {}) {
    super(message, { extensions: { ...extensions, code } });
  }
}

export class BadUserInputError extends GatewayError {
  constructor(message: string, extensions: Record<string, unknown> = {}) {
    super(message, 'BAD_USER_INPUT', extensions);
  }
}

export class ProviderNotConfiguredError extends GatewayError {
  constructor(provider: string, missing: string) {
    super(`${provider} is not configured: set ${missing}`, 'PROVIDER_NOT_CONFIGURED', { provider });
  }
}

/** Which operation limit was exceeded (`extensions.limit`). */
export type OperationLimit = 'depth' | 'aliases' | 'directives' | 'tokens' | 'cost';

/** The operation is over a limit; nothing was sent upstream. HTTP 400. */
export class QueryTooComplexError extends GatewayError {
  constructor(limit: OperationLimit, max: number, actual: number, detail: string) {
    super(`The operation is over the gateway's ${limit} limit: ${detail} (at most ${max}, got ${actual})`, 'QUERY_TOO_COMPLEX', {
      limit,
      max,
      actual,
      http: { status: 400 },
    });
  }
}

export class UnauthenticatedError extends GatewayError {
  constructor(message = 'A valid bearer token is required: send Authorization: Bearer <token>') {
    super(message, 'UNAUTHENTICATED', {
      http: { status: 401, headers: { 'WWW-Authenticate': 'Bearer' } },
    });
  }
}

/**
 * The one place errors become what a client sees (yoga's `maskedErrors.maskError`).
 * Gateway errors and GraphQL's own validation errors pass; upstream failures from the HTTP layer
 * become GraphQLErrors with their code, provider and upstream status; anything else is a bug and is
 * masked (its message could carry anything).
 */
export function toClientError(error: unknown, message: string, options: { isDev: boolean; secrets: readonly string[] }): Error {
  return redact(classify(error, message, options.isDev), options.secrets);
}

function classify(error: unknown, message: string, isDev: boolean): Error {
  if (!(error instanceof GraphQLError)) return internal(error, message, isDev);
  const original = error.originalError;
  if (original instanceof UpstreamFailure) return relocated(error, original.message, upstreamExtensions(original));
  if (original instanceof InvalidArgument) return relocated(error, original.message, { code: 'BAD_USER_INPUT', argument: original.argument });
  // Ours (a GatewayError thrown in a resolver, whose extensions graphql-js keeps when it locates
  // the error), or one graphql-js/yoga raised for a bad request: already safe to show.
  if (!original || original instanceof GraphQLError) return error;
  const detail = isDev ? `: ${original.message}` : '';
  return relocated(error, message + detail, { code: 'INTERNAL_SERVER_ERROR' });
}

/** A new error with `message` and `extensions` at the same place as `error` (nodes, path). */
function relocated(error: GraphQLError, message: string, extensions: Record<string, unknown>): GraphQLError {
  return new GraphQLError(message, { nodes: error.nodes, source: error.source, positions: error.positions, path: error.path, extensions });
}

/**
 * The last line of defence for "no message or extension ever contains a provider API key": every
 * configured secret is cut out of what a client sees, whichever code path built the error.
 */
function redact(error: Error, secrets: readonly string[]): Error {
  if (secrets.length === 0) return error;
  const clean = (text: string) => secrets.reduce((t, secret) => t.split(secret).join('[redacted]'), text);
  const extensions: Record<string, unknown> = (error instanceof GraphQLError ? error.extensions : undefined) ?? {};
  const dirty =
    clean(error.message) !== error.message ||
    Object.values(extensions).some((value) => typeof value === 'string' && clean(value) !== value);
  if (!dirty || !(error instanceof GraphQLError)) return dirty ? new GraphQLError(clean(error.message)) : error;
  return new GraphQLError(clean(error.message), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: Object.fromEntries(
      Object.entries(extensions).map(([key, value]) => [key, typeof value === 'string' ? clean(value) : value]),
    ),
  });
}

function upstreamExtensions(failure: UpstreamFailure): Record<string, unknown> {
  const extensions: Record<string, unknown> = { code: failure.code, provider: failure.provider };
  if (failure.upstreamStatus !== undefined) extensions.upstreamStatus = failure.upstreamStatus;
  if (failure.retryAfter !== undefined) extensions.retryAfter = failure.retryAfter;
  if (failure.upstreamCode !== undefined) extensions.upstreamCode = failure.upstreamCode;
  return extensions;
}

function internal(error: unknown, message: string, isDev: boolean): Error {
  const detail = isDev && error instanceof Error ? `: ${error.message}` : '';
  return new GraphQLError(message + detail, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
}

/**
 * graphql-js reports a variable its type cannot hold (`Variable "$first" got invalid value ...`)
 * without a code, and yoga answers it before masking: give it the contract's BAD_USER_INPUT.
 */
export function withBadInputCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.code !== undefined) return error;
  // Such errors wrap the scalar's own GraphQLError; anything else is not bad input.
  if (error.originalError && !(error.originalError instanceof GraphQLError)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}
