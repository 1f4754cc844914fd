import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import type { SendLogSearch } from '../../domain/sendLog.js';
import { BadUserInputError } from '../../errors.js';
import { parseFirst, serveConnection } from '../../relay/connection.js';
import { ARGUMENT_LIMITS, checkLength } from '../argumentLimits.js';

/** `Query.sendLogs`: the send logs of the provider that has them (capability `sendLogs`). */
export const sendLogs: QueryResolvers['sendLogs'] = async (_parent, { first, after, filter }, { providers }) => {
  const count = parseFirst(first);
  const ids = filter?.campaignIds ?? [];
  if (ids.length > ARGUMENT_LIMITS.campaignIds) {
    throw new BadUserInputError(`\`filter.campaignIds\` may name at most ${ARGUMENT_LIMITS.campaignIds} campaigns; got ${ids.length}`, { argument: 'filter.campaignIds' });
  }
  for (const id of ids) checkLength(id, ARGUMENT_LIMITS.providerId, 'filter.campaignIds');
  const search: SendLogSearch = {
    campaignIds: filter?.campaignIds ? [...new Set(filter.campaignIds)].sort() : null,
    startDeliveryFrom: filter?.startDeliveryFrom ?? null,
    startDeliveryTo: filter?.startDeliveryTo ?? null,
  };
  const source = providers.requireCapable('sendLogs').sendLogs!;
  const connection = await serveConnection({
    connection: 'sendLogs',
    scope: search,
    after,
    positions: source.sendLogPositions,
    start: 0,
    read: async (offset) => {
      const window = await source.searchSendLogs(search, offset, count);
      return { nodes: window.logs, positionAfter: (i) => offset + i + 1, hasNextPage: window.hasMore, totalCount: window.total };
    },
  });
  return connection!;
};
