import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { parseNodeId } from '../nodeIds.js';

export const campaign: QueryResolvers['campaign'] = (_parent, { id }, { providers }) => {
  const ref = parseNodeId(id, 'Campaign');
  return providers.require(ref.provider).campaign(ref.providerId);
};
