import { timingSafeEqual } from 'node:crypto';
import type { ASTVisitor, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { UnauthenticatedError } from '../errors.js';

/** The header a supergraph router sends its token in (GATEWAY_ROUTER_TOKENS). */
export const ROUTER_TOKEN_HEADER = 'x-router-token';

/**
 * GATEWAY_ROUTER_TOKENS: `_service` (the full SDL, even while introspection is off) and
 * `_entities` answer only requests that carry one of the tokens in `x-router-token`; anyone else
 * gets UNAUTHENTICATED (HTTP 401) before anything runs.
 */
export function routerOnlyFields(tokens: readonly string[]): Plugin<GatewayContext> {
  const accepted = tokens.map((token) => Buffer.from(token));
  const isRouter = (header: string | null) => {
    if (!header) return false;
    const given = Buffer.from(header.trim());
    return accepted.some((token) => token.length === given.length && timingSafeEqual(token, given));
  };
  return {
    onValidate({ addValidationRule, context }) {
      const request = (context as { request?: Request }).request;
      if (isRouter(request?.headers.get(ROUTER_TOKEN_HEADER) ?? null)) return;
      addValidationRule(
        (context: ValidationContext): ASTVisitor => ({
          Field(node) {
            if (node.name.value === '_service' || node.name.value === '_entities') {
              if (context.getParentType()?.name === 'Query') context.reportError(new UnauthenticatedError(`\`${node.name.value}\` is for the supergraph router: send its token in ${ROUTER_TOKEN_HEADER}`));
            }
          },
        }),
      );
    },
  };
}
