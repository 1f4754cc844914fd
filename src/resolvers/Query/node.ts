import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { fetchNode } from '../nodeFetchers.js';
import { parseNodeId } from '../nodeIds.js';

export const node: QueryResolvers['node'] = (_parent, { id }, context) => fetchNode(parseNodeId(id), context);
