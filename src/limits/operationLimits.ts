import { getOperationAST, GraphQLError, Kind, Lexer, Source, TokenKind, type FragmentDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../context.js';
import { QueryTooComplexError } from '../errors.js';
import { PROVIDER_DEFINITIONS } from '../providers/registry.js';
import { CostEstimates } from './costEstimates.js';
import { estimateCost, fieldCosts } from './costModel.js';
import { operationShapeRule } from './operationShape.js';

/** The operation limits (GATEWAY_MAX_*); docs/security.md gives the defaults and why. */
export interface OperationLimits {
  depth: number;
  aliases: number;
  directives: number;
  tokens: number;
  /** Estimated upstream calls plus one per 100 rows (src/limits/costModel.ts). */
  cost: number;
}

export const DEFAULT_LIMITS: OperationLimits = { depth: 10, aliases: 50, directives: 50, tokens: 5000, cost: 1000 };

/** A request header that asks for `extensions.cost`: the estimate and the calls really made. */
export const COST_REPORT_HEADER = 'x-cost-report';

/**
 * Limits checked before any upstream call, each answered with QUERY_TOO_COMPLEX (`limit`, `max`,
 * `actual`, HTTP 400): tokens while parsing (graphql-js stops lexing past the limit, so a huge
 * document costs no more than the limit), depth, aliases and directives while validating, and the
 * estimated cost in upstream calls and rows before executing (it needs the variables). With the
 * COST_REPORT_HEADER, `extensions.cost` reports the estimate and what the request really cost.
 */
export function operationLimits(limits: OperationLimits): Plugin<GatewayContext> {
  const costs = fieldCosts(PROVIDER_DEFINITIONS);
  const providers = PROVIDER_DEFINITIONS.map((d) => d.name);
  const estimates = new CostEstimates();
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, { ...options, maxTokens: limits.tokens });
        } catch (error) {
          if (error instanceof GraphQLError && /tokens\. Parsing aborted/.test(error.message)) {
            throw new QueryTooComplexError('tokens', limits.tokens, countTokens(source), 'the document is too long');
          }
          throw error;
        }
      });
    },
    onValidate({ addValidationRule }) {
      addValidationRule(operationShapeRule(limits));
    },
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      const estimate = estimates.estimate(args.document, args.operationName, variables, (onVariable) => {
        const fragments = new Map<string, FragmentDefinitionNode>();
        for (const definition of args.document.definitions) {
          if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
        }
        return estimateCost(args.schema, operation, fragments, variables, costs, providers, onVariable);
      });
      const context = args.contextValue as GatewayContext & { request?: Request };
      if (estimate.cost > limits.cost) {
        setResultAndStopExecution({
          errors: [
            new QueryTooComplexError('cost', limits.cost, estimate.cost, `it could cost ${estimate.calls} upstream calls and ${estimate.rows} rows`),
          ],
        });
        return;
      }
      if (!context.request?.headers.get(COST_REPORT_HEADER)) return;
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          const ledger = context.ledger;
          const single = result as { extensions?: Record<string, unknown> };
          setResult({
            ...single,
            extensions: {
              ...single.extensions,
              cost: {
                estimated: estimate,
                max: limits.cost,
                actual: { upstreamCalls: ledger.upstreamCalls, cacheHits: ledger.cacheHits, sharedCalls: ledger.sharedCalls },
              },
            },
          } as typeof result);
        },
      };
    },
  };
}

/** Tokens of a document, counted up to a ceiling (for `actual`; the parser stopped at the limit). */
function countTokens(source: string | Source, ceiling = 1_000_000): number {
  const lexer = new Lexer(typeof source === 'string' ? new Source(source) : source);
  let count = 0;
  try {
    while (count < ceiling && lexer.advance().kind !== TokenKind.EOF) count++;
  } catch {
    // a lexing error past the limit: what was counted stands
  }
  return count;
}
