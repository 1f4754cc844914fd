import { ResilientPolicy } from '../../http/resilience.js';
import type { ProviderModule } from '../provider.js';
import { MigmaClient } from './client.js';
import { MigmaSession } from './session.js';
import { startMigmaSimulator } from './simulator.js';

/**
 * Requests per minute the demo and test simulator allows: the documented plans allow 10 to 100
 * (NOTES.md), too few for a GraphiQL session; rate-limit tests start the simulator with their own.
 */
const DEMO_RATE_LIMIT_PER_MINUTE = 1000;

/** Migma: campaigns of the configured project, provider stats and per-recipient logs. */
export const migma: ProviderModule<MigmaSession> = {
  name: 'MIGMA',
  credentialVariables: 'MIGMA_API_KEY',
  connect(config) {
    const settings = config.providers.MIGMA;
    if (!settings) return null;
    const client = new MigmaClient(settings, {
      timeoutMs: config.upstreamTimeoutMs,
      policy: new ResilientPolicy('MIGMA', config.resilience),
    });
    return {
      session: (scope) => new MigmaSession(client, settings.projectId, scope),
      // Listing needs a project id (NOTES.md); lookups, stats and logs do not.
      listingUnavailable: settings.projectId ? undefined : 'MIGMA_PROJECT_ID',
      close: () => client.close(),
    };
  },
  startSimulator: (options) => startMigmaSimulator({ ...options, rateLimitPerMinute: options.rateLimitPerMinute ?? DEMO_RATE_LIMIT_PER_MINUTE }),
};
