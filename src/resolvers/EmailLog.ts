import type { EmailLogResolvers } from '../__generated__/resolvers-types.js';
import { fetchNode } from './nodeFetchers.js';
import { nodeId, parseNodeId } from './nodeIds.js';
import type { EmailLogModel } from './mappers.js';

export const EmailLog: EmailLogResolvers = {
  id: (log) => nodeId('EmailLog', log.provider, log.messageId),
  campaign: (log, _args, { providers }) => (log.campaignReferenceId ? providers.require(log.provider).campaign(log.campaignReferenceId) : null),
  // Federation: a supergraph refers to an EmailLog by `id`.
  __resolveReference: (reference, context) => fetchNode(parseNodeId(reference.id, 'EmailLog'), context) as Promise<EmailLogModel | null>,
};
