import type { QueryResolvers } from '../../__generated__/resolvers-types.js';
import { BadUserInputError } from '../../errors.js';
import { ARGUMENT_LIMITS, checkLength } from '../argumentLimits.js';
import { readCampaignRecipientLogs } from '../CampaignRecipientLogs.js';
import { recipientLogsProof } from '../existenceProof.js';

export const campaignByProviderId: QueryResolvers['campaignByProviderId'] = async (_parent, { provider, providerId }, context, info) => {
  if (!providerId.trim()) throw new BadUserInputError('`providerId` must not be empty', { argument: 'providerId' });
  checkLength(providerId, ARGUMENT_LIMITS.providerId, 'providerId');
  const session = context.providers.require(provider);
  const proof = session.campaignReference && session.recipientLogs ? recipientLogsProof(info) : null;
  if (proof) {
    // The logs the query asks for anyway say whether the campaign exists: no lookup call. The
    // child field's read is the same loader key, so it costs nothing more.
    const reference = session.campaignReference!(providerId);
    try {
      const logs = await readCampaignRecipientLogs(reference, proof, context);
      return logs === null ? null : reference;
    } catch {
      // The logs failed (or their arguments are bad): the lookup answers for the campaign, and
      // the error lands on the logs field alone when the child resolver reads the same failure.
    }
  }
  return session.campaign(providerId);
};
