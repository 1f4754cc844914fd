import { defineProvider } from '../provider.js';
import { EmailSendXClient } from './client.js';
import { esxRoutes } from './routes.js';
import { EmailSendXSession } from './session.js';
import { ESX_MAX_LIMIT } from './wire.js';
import { pagesOf } from '../paging/offsetWindow.js';

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
  // X-RateLimit-Remaining and X-RateLimit-Reset on every response (docs). Reset's unit is not
  // documented (guess): seconds from now, or epoch seconds when it is that large.
  rateLimitHint(headers) {
    const remaining = Number(first(headers['x-ratelimit-remaining']));
    const reset = Number(first(headers['x-ratelimit-reset']));
    if (!Number.isFinite(remaining) || !Number.isFinite(reset) || remaining < 0 || reset < 0) return null;
    const resetInMs = reset > 1e9 ? reset * 1000 - Date.now() : reset * 1000;
    return { remaining, resetInMs: Math.max(0, Math.min(resetInMs, 60_000)) };
  },
  routes: esxRoutes,
  capabilities: ['campaignList'],
  // Pages of at most 100; stats ride on list items, else one `?id=` each.
  costs: { lookup: 1, stats: 1, listCampaigns: (first) => pagesOf(first, ESX_MAX_LIMIT) + 1 },
  open(http) {
    const client = new EmailSendXClient(http);
    return { session: (scope) => new EmailSendXSession(client, scope) };
  },
  simulator: () => import('./simulator.js'),
});

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
