import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { BadUserInputError } from '../../errors.js';
import { ARGUMENT_LIMITS, checkLength } from '../argumentLimits.js';

export const campaignByProviderId: QueryResolvers['campaignByProviderId'] = (_parent, { provider, providerId }, { providers }) => {
  if (!providerId.trim()) throw new BadUserInputError('`providerId` must not be empty', { argument: 'providerId' });
  checkLength(providerId, ARGUMENT_LIMITS.providerId, 'providerId');
  return providers.require(provider).campaign(providerId);
};
