import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { ConfigError } from './configVars.js';
import type { GatewayContext } from './context.js';

/** The operations a gateway accepts when GATEWAY_OPERATIONS_FILE is set: sha256 hex of the text -> text. */
export type KnownOperations = ReadonlyMap<string, string>;

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * Reads GATEWAY_OPERATIONS_FILE: Apollo's persisted query manifest
 * (`{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [{"id", "body", ...}]}`,
 * what `generate-persisted-query-manifest` writes), or a plain JSON object of hash -> query text
 * (Relay's `persistedQueries.json`). Every id must be the sha256 of its body: a manifest that
 * says otherwise is refused at start-up rather than trusted.
 * @throws ConfigError naming the variable for a file that is missing, not JSON, or inconsistent.
 */
export function readKnownOperations(path: string): KnownOperations {
  const variable = 'GATEWAY_OPERATIONS_FILE';
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(variable, `cannot read ${path} as JSON (${(error as Error).message.slice(0, 200)})`);
  }
  const entries: Array<[unknown, unknown]> =
    json && typeof json === 'object' && (json as { format?: unknown }).format === 'apollo-persisted-query-manifest'
      ? ((json as { operations?: unknown }).operations instanceof Array ? ((json as { operations: unknown[] }).operations) : []).map((op) => [
          (op as { id?: unknown })?.id,
          (op as { body?: unknown })?.body,
        ])
      : json && typeof json === 'object' && !Array.isArray(json)
        ? Object.entries(json)
        : [];
  if (entries.length === 0) throw new ConfigError(variable, `${path} holds no operations (an Apollo persisted query manifest or an object of sha256 -> query)`);
  const operations = new Map<string, string>();
  for (const [id, body] of entries) {
    if (typeof id !== 'string' || typeof body !== 'string' || !body.trim()) throw new ConfigError(variable, `${path}: every operation needs an id and a body`);
    if (sha256(body) !== id.toLowerCase()) throw new ConfigError(variable, `${path}: "${id.slice(0, 80)}" is not the sha256 of its body`);
    operations.set(id.toLowerCase(), body);
  }
  return operations;
}

/**
 * Only the operations of the manifest run: by hash (`extensions.persistedQuery.sha256Hash`, as
 * Apollo Client sends them, the text then coming from the manifest) or by a text whose hash is in
 * it. Anything else is OPERATION_NOT_ALLOWED (HTTP 400), before it is parsed. Runs before the
 * automatic persisted queries, so a client cannot register new ones.
 */
export function knownOperationsOnly(operations: KnownOperations): Plugin<GatewayContext> {
  const refuse = (why: string) =>
    new GraphQLError(`Only the gateway's known operations run here (GATEWAY_OPERATIONS_FILE): ${why}`, {
      extensions: { code: 'OPERATION_NOT_ALLOWED', http: { status: 400 } },
    });
  return {
    onParams({ params, setParams }) {
      const hash = (params.extensions as { persistedQuery?: { sha256Hash?: unknown } } | undefined)?.persistedQuery?.sha256Hash;
      if (typeof params.query === 'string' && params.query) {
        if (!operations.has(sha256(params.query))) throw refuse('this query text is not one of them');
        return;
      }
      if (typeof hash !== 'string') throw refuse('send a known query or its sha256Hash');
      const query = operations.get(hash.toLowerCase());
      if (!query) throw refuse('no known operation has this hash');
      const { persistedQuery: _, ...extensions } = (params.extensions ?? {}) as Record<string, unknown>;
      setParams({ ...params, query, extensions });
    },
  };
}
