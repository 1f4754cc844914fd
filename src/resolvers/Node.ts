import type { NodeResolvers } from '../__generated__/resolvers-types.js';
import { typenameOf } from './nodeFetchers.js';

export const Node: NodeResolvers = {
  // fetchNode remembers which type it fetched.
  __resolveType: (value) => typenameOf(value) ?? 'Campaign',
};
