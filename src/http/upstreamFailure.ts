/**
 * Why an upstream call failed, in the contract's terms. Thrown by the HTTP layer and by provider
 * clients (which import nothing from `graphql`); `toClientError` in src/errors.ts turns it into the
 * GraphQL error a client sees.
 */
export type UpstreamFailureCode =
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_RATE_LIMITED'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_BAD_RESPONSE'
  | 'BAD_USER_INPUT';

export class UpstreamFailure extends Error {
  override readonly name = 'UpstreamFailure';
  constructor(
    readonly code: UpstreamFailureCode,
    readonly provider: string,
    message: string,
    readonly details: {
      /** The provider's HTTP status, when it answered. */
      upstreamStatus?: number;
      /** Seconds the provider asked us to wait (Retry-After), when known. */
      retryAfter?: number;
      /** The provider's own machine-readable error code, when its body has one. */
      upstreamCode?: string;
      /**
       * Decided by the gateway without an answer from the provider (open circuit, spent quota,
       * cancelled call): says nothing about the provider's health.
       */
      local?: boolean;
    } = {},
  ) {
    super(message);
  }
  get upstreamStatus(): number | undefined {
    return this.details.upstreamStatus;
  }
  get retryAfter(): number | undefined {
    return this.details.retryAfter;
  }
  get upstreamCode(): string | undefined {
    return this.details.upstreamCode;
  }
  get local(): boolean {
    return this.details.local === true;
  }
}
