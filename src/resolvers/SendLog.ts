import type { SendLogResolvers } from '../__generated__/resolvers-types.js';
import { nodeId, parseNodeId, representationKeys } from './nodeIds.js';
import { fetchNode } from './nodeFetchers.js';
import type { SendLogModel } from './mappers.js';

export const SendLog: SendLogResolvers = {
  id: (log) => nodeId('SendLog', log.provider, log.providerId),
  campaign: (log, _args, { providers }) => (log.campaignId ? providers.require(log.provider).campaign(log.campaignId) : null),
  destinations: (log, _args, { providers }) => providers.require(log.provider).sendLogs!.sendLogDestinations(log),
  // Federation: a supergraph refers to a SendLog by `id`.
  // async: a bad id fails this representation only (a rejection), never the whole _entities list.
  __resolveReference: async (reference, context) =>
    (await fetchNode(parseNodeId(representationKeys('SendLog', reference, 'id').id, 'SendLog'), context)) as SendLogModel | null,
};
