import type { RecipientLogResolvers } from '../__generated__/resolvers-types.js';

/** A Migma log row; its fields are the domain model's, only `campaign` needs a resolver. */
export const RecipientLog: RecipientLogResolvers = {
  // The session primed its campaign loader with the parent, so this costs no call.
  campaign: (log, _args, { providers }) => providers.require(log.campaignProvider).campaign(log.campaignId),
};
