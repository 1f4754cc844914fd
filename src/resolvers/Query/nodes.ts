import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { fetchNode } from '../nodeFetchers.js';
import { parseNodeId } from '../nodeIds.js';

/** Each id on its own: a bad id or a failing provider costs that entry only (null plus an error at its index). */
export const nodes: QueryResolvers['nodes'] = (_parent, { ids }, context) =>
  Promise.all(
    ids.map(async (id) => {
      try {
        return await fetchNode(parseNodeId(id), context);
      } catch (error) {
        return error as Error;
      }
    }),
  ) as Promise<never>; // graphql-js turns an Error entry into null plus an error at that index.
