import type { CampaignStatsResolvers } from '../__generated__/resolvers-types.js';
import { rate } from '../domain/campaign.js';

/** Every rate is derived from the counts here, never passed through from a provider. */
export const CampaignStats: CampaignStatsResolvers = {
  deliveryRate: (s) => rate(s.delivered, s.sent),
  openRate: (s) => rate(s.uniqueOpens, s.delivered),
  clickRate: (s) => rate(s.uniqueClicks, s.delivered),
  clickToOpenRate: (s) => rate(s.uniqueClicks, s.uniqueOpens),
  bounceRate: (s) => rate(s.bounces, s.sent),
  complaintRate: (s) => rate(s.complaints, s.delivered),
  unsubscribeRate: (s) => rate(s.unsubscribes, s.delivered),
};
