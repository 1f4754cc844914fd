import { defineProvider } from '../provider.js';
import { InfobipClient } from './client.js';
import { readInfobipError } from './mapping.js';
import { infobipRoutes } from './routes.js';
import { InfobipSession } from './session.js';
import { IB_MAX_LIMIT } from './wire.js';
import { pagesOf } from '../paging/offsetWindow.js';

/** Infobip (email): 48-hour email logs, campaigns by campaignReferenceId with derived stats; no campaign listing. */
export const infobip = defineProvider({
  name: 'INFOBIP',
  variables: { apiKey: 'INFOBIP_API_KEY', baseUrl: 'INFOBIP_BASE_URL', rateLimit: 'INFOBIP_RATE_LIMIT_PER_MINUTE' },
  // Every account has its own host, such as https://xxxxx.api.infobip.com (docs).
  defaultBaseUrl: null,
  authHeaders: (key) => ({ authorization: `App ${key}` }),
  readError: readInfobipError,
  quota: { perMinute: 60, source: 'docs: 60 requests a minute per account for logs' },
  routes: infobipRoutes,
  capabilities: ['emailLogs'],
  // Walks of 1000 rows, plus one for the instant a page ends on. Stats walk all of a reference's
  // logs: the estimate assumes up to 5000 in the 48-hour window (docs/security.md).
  costs: {
    lookup: 1,
    stats: 5,
    campaignEmailLogs: (first) => pagesOf(first, IB_MAX_LIMIT) + 1,
    emailLogSearch: (first) => pagesOf(first, IB_MAX_LIMIT) + 1,
  },
  open(http) {
    const client = new InfobipClient(http);
    return { session: (scope) => new InfobipSession(client, scope) };
  },
  simulator: () => import('./simulator.js'),
});
