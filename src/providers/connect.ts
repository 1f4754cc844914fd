import type { Config } from '../config.js';
import type { ProviderName } from '../domain/campaign.js';
import { CircuitBreakerStage } from '../http/circuitBreaker.js';
import type { Stage } from '../http/pipeline.js';
import { RetryStage } from '../http/retry.js';
import { UpstreamClient } from '../http/upstreamClient.js';
import type { OpenedProvider, ProviderDefinition, ProviderSettings } from './provider.js';
import { PROVIDER_DEFINITIONS } from './registry.js';

/** A configured provider for the life of the process: its definition, client and opened sessions. */
export interface ProviderConnection extends OpenedProvider {
  definition: ProviderDefinition;
  client: UpstreamClient;
  /** The pipeline's stages, outermost first, by name (for /ready and metrics). */
  stages: readonly Stage[];
  close(): Promise<void>;
}

export type ProviderConnections = Partial<Record<ProviderName, ProviderConnection>>;

/**
 * The pipeline every call of a provider passes, outermost first: this list is the whole of it.
 * The circuit sees a call once, after its retries; each retry is a new attempt of the stages after
 * the retry stage.
 */
export function upstreamStages(definition: ProviderDefinition, config: Config): Stage[] {
  return [new CircuitBreakerStage(definition.name, config.circuit), new RetryStage(config.retry)];
}

/** Builds one client per configured provider from its definition: the one place clients are made. */
export function connectProviders(config: Config): ProviderConnections {
  const connections: ProviderConnections = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const settings: ProviderSettings | undefined = config.providers[definition.name];
    if (!settings) continue;
    const stages = upstreamStages(definition, config);
    const client = new UpstreamClient({
      provider: definition.name,
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      authHeaders: definition.authHeaders,
      readError: definition.readError,
      unwrap: definition.unwrap,
      timeoutMs: config.upstreamTimeoutMs,
      stages,
    });
    const opened = definition.open(client, settings);
    connections[definition.name] = { ...opened, session: opened.session, definition, client, stages, close: () => client.close() };
  }
  return connections;
}
