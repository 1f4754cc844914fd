import type { CampaignResolvers } from '../__generated__/resolvers-types.js';
import { parseFirst } from '../relay/connection.js';
import { sendLogConnection, sendLogOffset } from './sendLogConnection.js';

const CONNECTION = 'Campaign.sendLogs';

/** Campaign.sendLogs: Dripcel campaigns only; the session batches every campaign of a query into one search. */
export const campaignSendLogs: CampaignResolvers['sendLogs'] = async (campaign, { first, after }, { providers }) => {
  if (campaign.provider !== 'DRIPCEL') return null;
  const count = parseFirst(first);
  const scope = { campaign: campaign.providerId };
  const offset = sendLogOffset(after, CONNECTION, scope);
  const session = providers.require('DRIPCEL');
  const window = await session.campaignSendLogs(campaign.providerId, offset, count);
  return {
    ...sendLogConnection(window, offset, CONNECTION, scope, after),
    // The batch knows each campaign's total only when it held all their rows; otherwise ask when selected.
    totalCount: window.total ?? (() => session.campaignSendLogTotal(campaign.providerId)),
  };
};
