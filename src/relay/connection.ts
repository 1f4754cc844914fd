import { BadUserInputError } from '../errors.js';

/** Default page size when `first` is omitted. */
export const DEFAULT_FIRST = 20;
/** Largest `first` a client may ask for. */
export const MAX_FIRST = 500;

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
  const edges = options.nodes.map((node, index) => ({ cursor: options.cursorOf(node, index), node }));
  return {
    edges,
    pageInfo: {
      hasNextPage: options.hasNextPage,
      hasPreviousPage: options.hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
    totalCount: options.totalCount,
  };
}
