import { defineProvider } from '../provider.js';
import { DripcelClient } from './client.js';
import { dripcelRoutes, readDripcelError, unwrapDripcelEnvelope } from './routes.js';
import { DripcelSession } from './session.js';

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
  open(http) {
    const client = new DripcelClient(http);
    return { session: (scope) => new DripcelSession(client, scope) };
  },
  simulator: () => import('./simulator.js'),
});
