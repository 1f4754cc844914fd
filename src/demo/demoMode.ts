import type { Config } from '../config.js';
import { PROVIDERS, type ProviderName } from '../domain/campaign.js';
import { providerModule } from '../providers/registry.js';
import type { RunningSimulator } from '../providers/simulatorServer.js';

/** Demo-mode settings each simulator needs beyond its URL and key. */
const DEMO_EXTRAS: Partial<Record<ProviderName, Record<string, string>>> = {
  MIGMA: { projectId: 'proj_demo' },
};

export interface Demo {
  config: Config;
  simulators: Partial<Record<ProviderName, RunningSimulator>>;
  close(): Promise<void>;
}

/**
 * Demo mode: starts a simulator of every implemented provider on loopback (random ports) and
 * returns the configuration pointing the gateway at them.
 */
export async function startDemo(config: Config): Promise<Demo> {
  const simulators: Partial<Record<ProviderName, RunningSimulator>> = {};
  const providers: Config['providers'] = {};
  for (const name of PROVIDERS) {
    const module = providerModule(name);
    if (!module) continue;
    const apiKey = `demo_${name.toLowerCase()}_key`;
    const simulator = await module.startSimulator({ apiKey });
    simulators[name] = simulator;
    (providers as Record<string, unknown>)[name] = { apiKey, baseUrl: simulator.url, ...DEMO_EXTRAS[name] };
  }
  return {
    config: { ...config, providers, demo: true },
    simulators,
    async close() {
      await Promise.all(Object.values(simulators).map((s) => s.close()));
    },
  };
}
