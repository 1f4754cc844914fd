import type { EmailLogResolvers } from '../__generated__/resolvers-types.js';
import { fetchNode } from './nodeFetchers.js';
import { nodeId, parseNodeId, representationKeys } from './nodeIds.js';
import type { EmailLogModel } from './mappers.js';

export const EmailLog: EmailLogResolvers = {
  id: (log) => nodeId('EmailLog', log.provider, log.messageId),
  campaign: (log, _args, { providers }) => (log.campaignReferenceId ? providers.require(log.provider).campaign(log.campaignReferenceId) : null),
  // Federation: a supergraph refers to an EmailLog by `id`.
  // async: a bad id fails this representation only (a rejection), never the whole _entities list.
  __resolveReference: async (reference, context) =>
    (await fetchNode(parseNodeId(representationKeys('EmailLog', reference, 'id').id, 'EmailLog'), context)) as EmailLogModel | null,
};
