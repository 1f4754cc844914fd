import type { Config } from '../config.js';
import type { ProviderName } from '../domain/campaign.js';
import { PROVIDER_DEFINITIONS } from '../providers/registry.js';
import { readProviderSettings } from '../providers/settings.js';
import type { RunningSimulator } from '../providers/simulatorServer.js';

export interface Demo {
  config: Config;
  simulators: Partial<Record<ProviderName, RunningSimulator>>;
  close(): Promise<void>;
}

/**
 * Demo mode: loads every provider's simulator (only now: production never imports them), starts
 * each on loopback (random ports), and returns the configuration pointing the gateway at them, read
 * from the same variables a real deployment sets.
 */
export async function startDemo(config: Config): Promise<Demo> {
  const simulators: Partial<Record<ProviderName, RunningSimulator>> = {};
  const env: Record<string, string> = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const module = await definition.simulator();
    const apiKey = `demo_${definition.name.toLowerCase()}_key`;
    const simulator = await module.start({ apiKey });
    simulators[definition.name] = simulator;
    Object.assign(env, { [definition.variables.apiKey]: apiKey, [definition.variables.baseUrl]: simulator.url }, module.demoEnv);
  }
  return {
    config: { ...config, providers: readProviderSettings(env), demo: true },
    simulators,
    async close() {
      await Promise.all(Object.values(simulators).map((s) => s.close()));
    },
  };
}
