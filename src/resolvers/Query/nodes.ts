import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { BadUserInputError } from '../../errors.js';
import { fetchNode } from '../nodeFetchers.js';
import { parseNodeId } from '../nodeIds.js';

/** As many ids as `first` allows items: each can cost an upstream call. */
const MAX_IDS = 500;

/** Each id on its own: a bad id or a failing provider costs that entry only (null plus an error at its index). */
export const nodes: QueryResolvers['nodes'] = (_parent, { ids }, context) => {
  if (ids.length > MAX_IDS) throw new BadUserInputError(`\`ids\` may hold at most ${MAX_IDS} ids; got ${ids.length}`, { argument: 'ids' });
  return Promise.all(
    ids.map(async (id) => {
      try {
        return await fetchNode(parseNodeId(id), context);
      } catch (error) {
        return error as Error;
      }
    }),
  ) as Promise<never>; // graphql-js turns an Error entry into null plus an error at that index.
};
