import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from './context.js';
import type { CacheStore } from './store/cacheStore.js';

/** How long a registered query is kept after its last registration. */
const KEEP_MS = 7 * 24 * 3600 * 1000;

/** The store key of a query hash (sha256 hex: nothing a client sends is used unchecked). */
const keyOf = (hash: string) => `cg:v1:apq:${hash}`;

interface PersistedQueryExtension {
  version?: unknown;
  sha256Hash?: unknown;
}

function notFound(): GraphQLError {
  // Apollo Client recognises the message and the code, then sends the query with its hash.
  return new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
}

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}

/**
 * Apollo's automatic persisted queries, by POST and by GET (so a CDN can cache them): a request
 * with `extensions.persistedQuery.sha256Hash` and no query runs the query registered under that
 * hash, or answers PERSISTED_QUERY_NOT_FOUND; one with both registers the query (after checking
 * the hash is the query's) and runs it. Queries live in the shared store: Redis when REDIS_URL
 * is set, so every instance knows what one registered.
 */
export function persistedQueries(store: CacheStore, now: () => number = Date.now): Plugin<GatewayContext> {
  return {
    async onParams({ params, setParams }) {
      const extension = (params.extensions as { persistedQuery?: PersistedQueryExtension } | undefined)?.persistedQuery;
      if (!extension) return;
      if (extension.version !== 1 || typeof extension.sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(extension.sha256Hash)) {
        throw badRequest('extensions.persistedQuery must be { version: 1, sha256Hash: <64 hex digits> }');
      }
      const hash = extension.sha256Hash;
      if (typeof params.query === 'string' && params.query) {
        if (createHash('sha256').update(params.query).digest('hex') !== hash) throw badRequest('extensions.persistedQuery.sha256Hash is not the hash of the query');
        await store.set(keyOf(hash), { data: params.query, storedAt: now() }, KEEP_MS);
        return;
      }
      const entry = await store.get(keyOf(hash));
      if (!entry || typeof entry.data !== 'string') throw notFound();
      setParams({ ...params, query: entry.data });
    },
  };
}
