import { defineProvider } from '../provider.js';
import { EmailSendXClient } from './client.js';
import { esxRoutes } from './routes.js';
import { EmailSendXSession } from './session.js';

/** EmailSendX (email): a paged campaign list whose items carry stats, and lookups by `?id=`. */
export const emailSendX = defineProvider({
  name: 'EMAILSENDX',
  variables: { apiKey: 'EMAILSENDX_API_KEY', baseUrl: 'EMAILSENDX_BASE_URL', rateLimit: 'EMAILSENDX_RATE_LIMIT_PER_MINUTE' },
  defaultBaseUrl: 'https://emailsendx.com',
  // `x-api-key: <key>` works too (docs).
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  // `{error: "<text>"}`, no code (docs).
  readError: (body) => ({
    message: typeof body === 'string' ? body : typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : undefined,
  }),
  quota: { perMinute: 120, source: 'docs: 120 requests a minute per key, sliding window' },
  routes: esxRoutes,
  capabilities: ['campaignList'],
  open(http) {
    const client = new EmailSendXClient(http);
    return { session: (scope) => new EmailSendXSession(client, scope) };
  },
  simulator: () => import('./simulator.js'),
});
