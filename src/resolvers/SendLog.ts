import type { SendLogResolvers } from '../__generated__/resolvers-types.js';
import { nodeId, parseNodeId } from './nodeIds.js';
import { fetchNode } from './nodeFetchers.js';
import type { SendLogModel } from './mappers.js';

export const SendLog: SendLogResolvers = {
  id: (log) => nodeId('SendLog', log.provider, log.providerId),
  campaign: (log, _args, { providers }) => (log.campaignId ? providers.require(log.provider).campaign(log.campaignId) : null),
  destinations: (log, _args, { providers }) => providers.require(log.provider).sendLogs!.sendLogDestinations(log),
  // Federation: a supergraph refers to a SendLog by `id`.
  __resolveReference: (reference, context) => fetchNode(parseNodeId(reference.id, 'SendLog'), context) as Promise<SendLogModel | null>,
};
