import { ConfigError } from '../configVars.js';
import type { Config } from '../config.js';
import type { ProviderName } from '../domain/campaign.js';
import { PROVIDER_DEFINITIONS } from '../providers/registry.js';
import { readProviderSettings } from '../providers/settings.js';
import { FAULT_KINDS, type FaultKind, type RunningSimulator } from '../providers/simulatorServer.js';

export interface Demo {
  config: Config;
  simulators: Partial<Record<ProviderName, RunningSimulator>>;
  /** The faults the simulators play (DEMO_FAULTS). */
  faults: DemoFault[];
  close(): Promise<void>;
}

/** One DEMO_FAULTS entry: a provider's simulator answers every request of a route with a fault. */
export interface DemoFault {
  provider: ProviderName;
  /** The route as its definition writes it (`METHOD /path/:param`); null (`*`) for every request. */
  route: string | null;
  kind: FaultKind;
}

const VARIABLE = 'DEMO_FAULTS';

/** The syntax with an example from the registry (demo mode names no provider itself). */
function syntax(): string {
  const definition = PROVIDER_DEFINITIONS[0]!;
  const route = Object.values(definition.routes).find((r) => r.template.includes(':')) ?? Object.values(definition.routes)[0]!;
  return `PROVIDER:ROUTE=FAULT, e.g. ${definition.name}:${route.method} ${route.template}=503 or ${definition.name}:*=slow-body`;
}

/**
 * Reads DEMO_FAULTS: comma-separated `PROVIDER:ROUTE=FAULT` entries. PROVIDER is a provider's name,
 * ROUTE one of its definition's routes (`METHOD /template`, `:params` as written there) or `*` for
 * all of them, FAULT one of {@link FAULT_KINDS}. Provider and fault are case-insensitive.
 * @throws ConfigError naming DEMO_FAULTS, with what is wrong and what would be right.
 */
export function parseDemoFaults(raw: string | null): DemoFault[] {
  if (raw === null) return [];
  const faults: DemoFault[] = [];
  for (const entry of raw.split(',').map((part) => part.trim())) {
    if (!entry) continue;
    const fault = parseEntry(entry);
    if (faults.some((f) => f.provider === fault.provider && f.route === fault.route)) {
      throw new ConfigError(VARIABLE, `${fault.provider} ${fault.route ?? '*'} is given twice`);
    }
    faults.push(fault);
  }
  return faults;
}

function parseEntry(entry: string): DemoFault {
  // The route has colons of its own (`:id`) and no `=`: the provider ends at the first colon, the fault starts after the last `=`.
  const colon = entry.indexOf(':');
  const equals = entry.lastIndexOf('=');
  if (colon < 0 || equals < colon) throw new ConfigError(VARIABLE, `"${entry}" is not ${syntax()}`);
  const providerText = entry.slice(0, colon).trim().toUpperCase();
  const routeText = entry.slice(colon + 1, equals).trim().replace(/\s+/g, ' ');
  const kindText = entry.slice(equals + 1).trim().toLowerCase();

  const definition = PROVIDER_DEFINITIONS.find((d) => d.name === providerText);
  if (!definition) {
    throw new ConfigError(VARIABLE, `"${providerText}" in "${entry}" is not a provider; one of ${PROVIDER_DEFINITIONS.map((d) => d.name).join(', ')}`);
  }
  let route: string | null = null;
  if (routeText !== '*') {
    const routes = [...new Set(Object.values(definition.routes).map((r) => `${r.method} ${r.template}`))];
    const [method = '', ...path] = routeText.split(' ');
    route = [method.toUpperCase(), ...path].join(' ');
    if (!routes.includes(route)) {
      throw new ConfigError(VARIABLE, `${definition.name} has no route "${routeText}"; its routes are ${routes.join(', ')} (or * for all)`);
    }
  }
  if (!(FAULT_KINDS as readonly string[]).includes(kindText)) {
    throw new ConfigError(VARIABLE, `"${kindText}" in "${entry}" is not a fault; one of ${FAULT_KINDS.join(', ')}`);
  }
  return { provider: definition.name, route, kind: kindText as FaultKind };
}

/**
 * Demo mode: loads every provider's simulator (only now: production never imports them), starts
 * each on loopback (random ports) with the faults DEMO_FAULTS asks for, and returns the
 * configuration pointing the gateway at them, read from the same variables a real deployment sets.
 * @throws ConfigError for a bad DEMO_FAULTS, before any simulator starts.
 */
export async function startDemo(config: Config): Promise<Demo> {
  const faults = parseDemoFaults(config.demoFaults);
  const simulators: Partial<Record<ProviderName, RunningSimulator>> = {};
  const env: Record<string, string> = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const module = await definition.simulator();
    const apiKey = `demo_${definition.name.toLowerCase()}_key`;
    const simulator = await module.start({ apiKey });
    simulators[definition.name] = simulator;
    // A fault on one route is tried before a `*` of the same provider, whatever their order.
    const own = faults.filter((f) => f.provider === definition.name);
    for (const fault of [...own.filter((f) => f.route !== null), ...own.filter((f) => f.route === null)]) {
      simulator.inject({ kind: fault.kind, route: fault.route ?? undefined, times: Infinity });
    }
    Object.assign(env, { [definition.variables.apiKey]: apiKey, [definition.variables.baseUrl]: simulator.url }, module.demoEnv);
  }
  return {
    config: { ...config, providers: readProviderSettings(env), demo: true },
    simulators,
    faults,
    async close() {
      await Promise.all(Object.values(simulators).map((s) => s.close()));
    },
  };
}
