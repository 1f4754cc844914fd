import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { listCampaigns } from '../campaignList.js';
import { parseFirst } from '../../relay/connection.js';

export const campaigns: QueryResolvers['campaigns'] = (_parent, { first, after, filter }, context) =>
  listCampaigns(
    {
      first: parseFirst(first),
      after: after ?? null,
      providers: filter?.providers ? [...new Set(filter.providers)] : null,
      statuses: filter?.status ? [...new Set(filter.status)] : null,
    },
    context,
  );
