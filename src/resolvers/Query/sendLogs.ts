import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import type { SendLogSearch } from '../../domain/sendLog.js';
import { parseFirst } from '../../relay/connection.js';
import { sendLogConnection, sendLogOffset } from '../sendLogConnection.js';

const CONNECTION = 'sendLogs';

export const sendLogs: QueryResolvers['sendLogs'] = async (_parent, { first, after, filter }, { providers }) => {
  const count = parseFirst(first);
  const search: SendLogSearch = {
    campaignIds: filter?.campaignIds ? [...new Set(filter.campaignIds)].sort() : null,
    startDeliveryFrom: filter?.startDeliveryFrom ?? null,
    startDeliveryTo: filter?.startDeliveryTo ?? null,
  };
  const offset = sendLogOffset(after, CONNECTION, search);
  const window = await providers.require('DRIPCEL').searchSendLogs(search, offset, count);
  return sendLogConnection(window, offset, CONNECTION, search, after);
};
