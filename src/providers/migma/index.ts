import { nonEmpty } from '../../configVars.js';
import { defineProvider, type ProviderSettings } from '../provider.js';
import { MigmaClient } from './client.js';
import { migmaRoutes, readMigmaError, unwrapMigmaEnvelope } from './routes.js';
import { MigmaSession } from './session.js';
import { MIGMA_LIST_MAX_LIMIT, MIGMA_LOG_MAX_LIMIT } from './wire.js';
import { pagesOf } from '../paging/offsetWindow.js';

export interface MigmaSettings extends ProviderSettings {
  /** MIGMA_PROJECT_ID: needed to list campaigns (the list call requires `projectId`); lookups, stats and logs work without. */
  projectId: string | null;
}

/** Migma (email): campaigns of the configured project, provider stats and per-recipient logs. */
export const migma = defineProvider<MigmaSettings>({
  name: 'MIGMA',
  variables: { apiKey: 'MIGMA_API_KEY', baseUrl: 'MIGMA_BASE_URL', rateLimit: 'MIGMA_RATE_LIMIT_PER_MINUTE' },
  defaultBaseUrl: 'https://api.migma.ai',
  readSettings: (env, base) => ({ ...base, projectId: nonEmpty(env.MIGMA_PROJECT_ID) }),
  authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
  readError: readMigmaError,
  unwrap: unwrapMigmaEnvelope,
  quota: { perMinute: 100, source: 'docs: 10 a minute on the free plan, 100 on pro, per key' },
  routes: migmaRoutes,
  capabilities: ['campaignList', 'recipientLogs'],
  // Pages of at most 100 (list and logs); a window that starts mid-page reads one page more.
  costs: {
    lookup: 1,
    stats: 1,
    listCampaigns: (first) => pagesOf(first, MIGMA_LIST_MAX_LIMIT) + 1,
    recipientLogs: (first) => pagesOf(first, MIGMA_LOG_MAX_LIMIT) + 1,
  },
  open(http, settings) {
    const client = new MigmaClient(http);
    return {
      session: (scope) => new MigmaSession(client, settings.projectId, scope),
      listingUnavailable: settings.projectId ? undefined : 'MIGMA_PROJECT_ID',
    };
  },
  simulator: () => import('./simulator.js'),
});
