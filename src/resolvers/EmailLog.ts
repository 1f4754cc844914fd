import type { EmailLogEdgeResolvers, EmailLogResolvers } from '../__generated__/resolvers-types.js';
import { nodeId, parseNodeId } from './nodeIds.js';

export const EmailLog: EmailLogResolvers = {
  id: (log) => nodeId('EmailLog', 'INFOBIP', log.messageId),
  campaign: (log, _args, { providers }) =>
    log.campaignReferenceId ? providers.require('INFOBIP').campaign(log.campaignReferenceId) : null,
  __resolveReference: (reference, { providers }) =>
    providers.require('INFOBIP').emailLog(parseNodeId(reference.id, 'EmailLog').providerId),
};

export const EmailLogEdge: EmailLogEdgeResolvers = {
  cursor: (edge) => edge.cursor(),
};
