import { responsePathAsArray } from 'graphql';
import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { parseFirst } from '../../relay/connection.js';
import { listCampaigns } from '../campaignList.js';

/** `Query.campaigns`; a provider that fails is reported at this field's path while the others' campaigns stand. */
export const campaigns: QueryResolvers['campaigns'] = (_parent, { first, after, filter }, context, info) =>
  listCampaigns(
    {
      first: parseFirst(first),
      after: after ?? null,
      providers: filter?.providers ? [...new Set(filter.providers)] : null,
      statuses: filter?.status ? [...new Set(filter.status)] : null,
    },
    context,
    (error) => context.ledger.partialFailures.push({ error, path: responsePathAsArray(info.path) }),
  );
