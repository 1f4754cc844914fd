import type { SendLogResolvers } from '../__generated__/resolvers-types.js';
import { nodeId, parseNodeId } from './nodeIds.js';

export const SendLog: SendLogResolvers = {
  id: (log) => nodeId('SendLog', log.provider, log.providerId),
  campaign: (log, _args, { providers }) => (log.campaignId ? providers.require('DRIPCEL').campaign(log.campaignId) : null),
  destinations: (log, _args, { providers }) => providers.require('DRIPCEL').sendLogDestinations(log),
  // Federation: a supergraph refers to a SendLog by `id`.
  __resolveReference: (reference, { providers }) =>
    providers.require('DRIPCEL').sendLog(parseNodeId(reference.id, 'SendLog').providerId),
};
