import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import type { ProviderName } from '../../src/domain/campaign.js';
import { createGateway, type Gateway, type GatewayOptions } from '../../src/gateway.js';
import { providerDefinition } from '../../src/providers/registry.js';
import type { RunningSimulator } from '../../src/providers/simulatorServer.js';

export interface GraphQLResponse<D = any> {
  status: number;
  data?: D;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }>;
  extensions?: Record<string, any>;
  text: string;
}

export interface Harness {
  gateway: Gateway;
  url: string;
  simulators: Partial<Record<ProviderName, RunningSimulator>>;
  /** POSTs a GraphQL request to the gateway over real HTTP. */
  query<D = any>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<D>>;
  /** Upstream calls received by all simulators since the last reset. */
  resetCalls(): void;
  close(): Promise<void>;
}

export interface HarnessOptions {
  /** Providers to start a simulator for (each with its module's generous rate limit). */
  providers?: ProviderName[];
  /** Simulators the test started itself; the harness closes them with the rest. */
  simulators?: Partial<Record<ProviderName, RunningSimulator>>;
  /** Variables over the harness's own (keys, base URLs, LOG_LEVEL, UPSTREAM_CIRCUIT_THRESHOLD). */
  env?: Record<string, string | undefined>;
  /** createGateway's options beyond the configuration (how often GATEWAY_OPERATIONS_FILE is checked). */
  gateway?: GatewayOptions;
}

/**
 * Starts simulators for `providers` (or uses the given ones), a gateway configured through
 * environment variables pointing at them, and an HTTP server on 127.0.0.1, port 0.
 */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const simulators: Partial<Record<ProviderName, RunningSimulator>> = { ...options.simulators };
  // Defaults that keep tests independent and their call counts meaningful: no circuit (failures a
  // test provokes never make later tests fail fast), no cross-request cache and no outbound quota
  // (each query's upstream calls are its own), simulators far above any quota. Tests of the
  // cache, the quotas and the circuit set these themselves.
  const env: Record<string, string | undefined> = { LOG_LEVEL: 'silent', UPSTREAM_CIRCUIT_THRESHOLD: '0', CACHE_TTL_S: '0' };
  // CI runs the suite once more with GATEWAY_COMPILE_AFTER_USES=1 (.ci/run): every query compiled.
  if (process.env.GATEWAY_COMPILE_AFTER_USES) env.GATEWAY_COMPILE_AFTER_USES = process.env.GATEWAY_COMPILE_AFTER_USES;
  for (const name of options.providers ?? []) {
    if (!simulators[name]) {
      const module = await providerDefinition(name)!.simulator();
      simulators[name] = await module.start({ apiKey: `test_${name.toLowerCase()}_key`, rateLimitPerMinute: 100_000 });
    }
  }
  for (const [name, simulator] of Object.entries(simulators)) {
    const { variables } = providerDefinition(name as ProviderName)!;
    env[variables.apiKey] = simulator!.apiKey;
    env[variables.baseUrl] = simulator!.url;
    env[variables.rateLimit] = '0';
  }
  Object.assign(env, options.env);
  const gateway = createGateway(loadConfig(env), options.gateway);
  // As main.ts does: the first requests already use Redis when it is there.
  await gateway.shared.redis?.whenReady(2000);
  const server: Server = createServer(gateway.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
  return {
    gateway,
    url,
    simulators,
    async query(query, variables, headers) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
        body: JSON.stringify({ query, variables }),
      });
      const text = await response.text();
      let body: any = {};
      try {
        body = JSON.parse(text);
      } catch {
        // non-JSON answer: the test looks at status and text
      }
      return { status: response.status, data: body.data, errors: body.errors, extensions: body.extensions, text };
    },
    resetCalls() {
      for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await Promise.all(Object.values(simulators).map((s) => s!.close()));
    },
  };
}
