import { BadUserInputError } from '../errors.js';
import { decodeCursor, encodeCursor } from './cursor.js';

/** Default page size when `first` is omitted. */
export const DEFAULT_FIRST = 20;
/** Largest `first` a client may ask for. */
export const MAX_FIRST = 500;
/** Longer than any cursor the gateway issues (Infobip's can carry the ids of a 1000-row instant). */
export const MAX_CURSOR_LENGTH = 65_536;

/**
 * Validates `first`: default {@link DEFAULT_FIRST}, allowed 0..{@link MAX_FIRST}.
 * @throws BadUserInputError when out of range.
 */
export function parseFirst(first: number | null | undefined): number {
  if (first == null) return DEFAULT_FIRST;
  if (!Number.isInteger(first) || first < 0 || first > MAX_FIRST) {
    throw new BadUserInputError(`\`first\` must be between 0 and ${MAX_FIRST}; got ${first}`, {
      argument: 'first',
    });
  }
  return first;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  /** The list's size; a function when it costs upstream calls (graphql-js calls it only when selected). */
  totalCount: number | null | (() => Promise<number | null>);
}

/**
 * Builds a Relay connection from one page of nodes.
 * @param cursorOf the cursor that resumes right after the node at `index` of `nodes`.
 */
export function buildConnection<T>(options: {
  nodes: readonly T[];
  cursorOf: (node: T, index: number) => string;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  totalCount: number | null;
}): Connection<T> {
  const edges = options.nodes.map((node, index): Edge<T> => new LazyEdge(node, index, options.cursorOf));
  return {
    edges,
    pageInfo: {
      hasNextPage: options.hasNextPage,
      hasPreviousPage: options.hasPreviousPage,
      get startCursor() {
        return edges[0]?.cursor ?? null;
      },
      get endCursor() {
        return edges.at(-1)?.cursor ?? null;
      },
    },
    totalCount: options.totalCount,
  };
}

/**
 * An edge whose cursor is signed (HMAC) when first read: most queries select no edge cursor at
 * all. A class, so the getter is on the prototype and an edge costs no closure of its own.
 */
class LazyEdge<T> implements Edge<T> {
  #cursor: string | undefined = undefined;
  readonly #index: number;
  readonly #cursorOf: (node: T, index: number) => string;

  constructor(
    readonly node: T,
    index: number,
    cursorOf: (node: T, index: number) => string,
  ) {
    this.#index = index;
    this.#cursorOf = cursorOf;
  }

  get cursor(): string {
    return (this.#cursor ??= this.#cursorOf(this.node, this.#index));
  }
}

/**
 * Reads and writes a connection's cursor positions: `read` checks a decoded cursor's JSON (the
 * signature proves who made it, not that it is sane) and returns null for anything it cannot use.
 */
export interface PositionCodec<P> {
  read(value: unknown): P | null;
  write(position: P): unknown;
}

/** One page read from a position: its nodes, the position after each, and what follows. */
export interface ConnectionWindow<T, P> {
  nodes: readonly T[];
  positionAfter(index: number): P;
  hasNextPage: boolean;
  totalCount: Connection<T>['totalCount'];
  /** For a page with no nodes that still has a next one: where to resume (its `endCursor`). */
  endPosition?: P;
}

/**
 * The one way a connection is served: decodes `after` (checking connection, scope and, through
 * the session's codec, the position), reads the window from there, and encodes a cursor after
 * each node. `scope` is everything that defines the list (filter, parent id): a cursor works only
 * with the same one. Null when `read` finds no list (the parent went away).
 * @throws BadUserInputError for a cursor that is garbage, foreign or holds an unusable position.
 */
export async function serveConnection<T, P>(args: {
  connection: string;
  scope: unknown;
  after: string | null | undefined;
  positions: PositionCodec<P>;
  /** Where a walk without `after` starts. */
  start: P;
  read(from: P): Promise<ConnectionWindow<T, P> | null>;
}): Promise<Connection<T> | null> {
  let from = args.start;
  if (args.after != null) {
    if (args.after.length > MAX_CURSOR_LENGTH) {
      throw new BadUserInputError(`\`after\` is longer than any cursor of ${args.connection} (${MAX_CURSOR_LENGTH} characters)`, { argument: 'after' });
    }
    const position = args.positions.read(decodeCursor<unknown>(args.after, args.connection, args.scope));
    if (position === null) throw new BadUserInputError(`\`after\` is not a cursor of ${args.connection}`, { argument: 'after' });
    from = position;
  }
  const window = await args.read(from);
  if (!window) return null;
  const connection = buildConnection({
    nodes: window.nodes,
    cursorOf: (_, index) => encodeCursor(args.connection, args.scope, args.positions.write(window.positionAfter(index))),
    hasNextPage: window.hasNextPage,
    hasPreviousPage: args.after != null,
    totalCount: null,
  });
  if (window.nodes.length === 0 && window.endPosition !== undefined) {
    const resume = encodeCursor(args.connection, args.scope, args.positions.write(window.endPosition));
    const { hasNextPage, hasPreviousPage } = connection.pageInfo;
    connection.pageInfo = { hasNextPage, hasPreviousPage, startCursor: null, endCursor: resume };
  }
  return { ...connection, totalCount: window.totalCount };
}
