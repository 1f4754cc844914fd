import { createHash } from 'node:crypto';
import { readFileSync, unwatchFile, watchFile, type Stats } from 'node:fs';
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

/** What a reload of the file did: the operations it holds now, or why they were kept. */
export type ReloadOutcome = { loaded: number } | { refused: string; kept: number };

/**
 * GATEWAY_OPERATIONS_FILE as the gateway holds it: the operations read at start-up, read again by
 * `reload()`, which the gateway calls on SIGHUP (src/main.ts) and when `watch` sees the file change
 * (a stat every few seconds, which follows symlinks, so a Kubernetes ConfigMap swapped under its
 * mount is seen too). A file that no longer reads, or whose ids are not their bodies' hashes, is
 * refused and the operations in force stay: a deploy that breaks the manifest never leaves the
 * gateway with none.
 */
export class KnownOperationsFile {
  #operations: KnownOperations;
  #watching: ((current: Stats, previous: Stats) => void) | null = null;

  constructor(
    readonly path: string,
    initial: KnownOperations,
  ) {
    this.#operations = initial;
  }

  get operations(): KnownOperations {
    return this.#operations;
  }

  reload(): ReloadOutcome {
    try {
      this.#operations = readKnownOperations(this.path);
      return { loaded: this.#operations.size };
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return { refused: error.message, kept: this.#operations.size };
    }
  }

  /** Calls `onChange` (which reloads) when the file's size, time or inode changes, checked every `intervalMs`. */
  watch(intervalMs: number, onChange: () => void): void {
    if (this.#watching) return;
    this.#watching = (current, previous) => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size && current.ino === previous.ino) return;
      onChange();
    };
    // Not persistent: the watch never keeps a process alive that is otherwise done.
    watchFile(this.path, { interval: intervalMs, persistent: false }, this.#watching);
  }

  close(): void {
    if (this.#watching) unwatchFile(this.path, this.#watching);
    this.#watching = null;
  }
}

/**
 * Only the operations of the manifest run: by hash (`extensions.persistedQuery.sha256Hash`, as
 * Apollo Client sends them, the text then coming from the manifest) or by a text whose hash is in
 * it. Anything else is OPERATION_NOT_ALLOWED (HTTP 400), before it is parsed. Runs before the
 * automatic persisted queries, so a client cannot register new ones. Each request reads
 * `source.operations` afresh, so a reload applies to the next request.
 */
export function knownOperationsOnly(source: { readonly operations: KnownOperations }): Plugin<GatewayContext> {
  const refuse = (why: string) =>
    new GraphQLError(`Only the gateway's known operations run here (GATEWAY_OPERATIONS_FILE): ${why}`, {
      extensions: { code: 'OPERATION_NOT_ALLOWED', http: { status: 400 } },
    });
  return {
    onParams({ params, setParams }) {
      const operations = source.operations;
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
