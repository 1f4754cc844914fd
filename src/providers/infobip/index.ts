import { ResilientPolicy } from '../../http/resilience.js';
import type { ProviderModule } from '../provider.js';
import { InfobipClient } from './client.js';
import { InfobipSession } from './session.js';
import { startInfobipSimulator } from './simulator.js';

/** Infobip (email): 48-hour email logs, campaigns by campaignReferenceId with derived stats; no campaign listing. */
export const infobip: ProviderModule<InfobipSession> = {
  name: 'INFOBIP',
  credentialVariables: 'INFOBIP_API_KEY and INFOBIP_BASE_URL',
  connect(config) {
    const settings = config.providers.INFOBIP;
    if (!settings) return null;
    const client = new InfobipClient(settings, {
      timeoutMs: config.upstreamTimeoutMs,
      policy: new ResilientPolicy('INFOBIP', config.resilience),
    });
    return {
      session: (scope) => new InfobipSession(client, scope),
      close: () => client.close(),
    };
  },
  // Demo mode and tests walk thousands of logs: a generous limit instead of the documented 60/min.
  startSimulator: (options) => startInfobipSimulator({ ...options, rateLimitPerMinute: options.rateLimitPerMinute ?? 10_000 }),
};
