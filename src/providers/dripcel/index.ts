import { ResilientPolicy } from '../../http/resilience.js';
import type { ProviderModule } from '../provider.js';
import { DripcelClient } from './client.js';
import { DripcelSession } from './session.js';
import { startDripcelSimulator } from './simulator.js';

/** Demo mode and tests: generous, so a demo session never meets the documented 50 a minute. */
const SIMULATOR_RATE_LIMIT = 6000;

export const dripcel: ProviderModule<DripcelSession> = {
  name: 'DRIPCEL',
  credentialVariables: 'DRIPCEL_API_KEY',
  connect(config) {
    const settings = config.providers.DRIPCEL;
    if (!settings) return null;
    const client = new DripcelClient(settings, {
      timeoutMs: config.upstreamTimeoutMs,
      policy: new ResilientPolicy('DRIPCEL', config.resilience),
    });
    return {
      session: (scope) => new DripcelSession(client, scope),
      close: () => client.close(),
    };
  },
  startSimulator: (options) => startDripcelSimulator({ ...options, rateLimitPerMinute: options.rateLimitPerMinute ?? SIMULATOR_RATE_LIMIT }),
};
