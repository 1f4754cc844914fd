import { defineProvider } from '../provider.js';
import { DripcelClient } from './client.js';
import { dripcelRoutes, readDripcelError, unwrapDripcelEnvelope } from './routes.js';
import { DripcelSession } from './session.js';
import { DRIPCEL_SEARCH_PAGE } from './wire.js';
import { pagesOf } from '../paging/offsetWindow.js';

/** Dripcel (SMS): campaigns, send logs batched per campaign, destinations on demand, derived stats. */
export const dripcel = defineProvider({
  name: 'DRIPCEL',
  variables: { apiKey: 'DRIPCEL_API_KEY', baseUrl: 'DRIPCEL_BASE_URL', rateLimit: 'DRIPCEL_RATE_LIMIT_PER_MINUTE' },
  defaultBaseUrl: 'https://api.dripcel.com',
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  readError: readDripcelError,
  unwrap: unwrapDripcelEnvelope,
  quota: { perMinute: 50, source: 'docs: about 50 requests a minute per organisation' },
  routes: dripcelRoutes,
  capabilities: ['campaignList', 'sendLogs'],
  // The campaign list is one answer; one search serves every campaign's first page of logs and
  // stats (worst case: one follow-up search each); searches page by 1000.
  costs: {
    lookup: 1,
    stats: 1,
    listCampaigns: () => 1,
    campaignSendLogs: () => 1,
    sendLogSearch: (first) => pagesOf(first, DRIPCEL_SEARCH_PAGE) + 1,
    destinations: 1,
  },
  open(http) {
    const client = new DripcelClient(http);
    return { session: (scope) => new DripcelSession(client, scope) };
  },
  simulator: () => import('./simulator.js'),
});
