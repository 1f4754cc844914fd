import type { Config } from '../config.js';
import type { ProviderName } from '../domain/campaign.js';
import type { Tracer } from '@opentelemetry/api';
import { cachePolicy, cacheRecorders, CacheStage } from '../http/cacheStage.js';
import { CircuitBreakerStage, type CircuitState } from '../http/circuitBreaker.js';
import { InFlightStage } from '../http/inflightStage.js';
import { MetricsStage } from '../http/metricsStage.js';
import type { Stage } from '../http/pipeline.js';
import { QuotaStage } from '../http/quotaStage.js';
import { abortableSleep, RetryStage } from '../http/retry.js';
import { AttemptTracingStage, traceCacheLookups, TracingStage } from '../http/tracingStage.js';
import type { GatewayMetrics } from '../metrics/gatewayMetrics.js';
import { UpstreamClient } from '../http/upstreamClient.js';
import type { SharedState } from '../store/sharedState.js';
import type { OpenedProvider, ProviderDefinition, ProviderSettings } from './provider.js';
import { PROVIDER_DEFINITIONS } from './registry.js';

/** What /ready says of a configured provider. */
export interface ProviderStatus {
  circuit: CircuitState;
  /** Null when its calls are not limited (`<PROVIDER>_RATE_LIMIT_PER_MINUTE=0`). */
  quota: { perMinute: number; used: number; remaining: number } | null;
}

/** A configured provider for the life of the process: its definition, client and opened sessions. */
export interface ProviderConnection extends OpenedProvider {
  definition: ProviderDefinition;
  client: UpstreamClient;
  /** The pipeline's stages, outermost first. */
  stages: readonly Stage[];
  status(): Promise<ProviderStatus>;
  close(): Promise<void>;
}

export type ProviderConnections = Partial<Record<ProviderName, ProviderConnection>>;

/** What records the calls, when on: the gateway's metrics (/metrics) and its tracer (OTEL_*). */
export interface PipelineObservers {
  metrics?: GatewayMetrics;
  tracer?: Tracer;
}

/**
 * The pipeline every call of a provider passes, outermost first: this list is the whole of it.
 * - tracing: a span per call, whoever answers it (the cache, a shared call, a refusal, the provider);
 * - cache: a fresh answer ends the call here; a failure below may be answered stale;
 * - inflight: identical concurrent calls share one;
 * - circuit: sees a call once, after its retries;
 * - retry: each retry is a new attempt of the stages after it;
 * - quota: every attempt takes from the budget (a retry spends quota like any call);
 * - metrics: every attempt that reaches the HTTP transport, by route template, status and attempt;
 * - attempt-tracing: a span per HTTP attempt, the child of its call's span.
 * With `metrics`, the cache and quota stages record their lookups, waits and refusals into it too;
 * with `tracer`, the cache stage notes its outcome on the call's span.
 */
export function upstreamStages(
  definition: ProviderDefinition,
  settings: ProviderSettings,
  config: Config,
  shared: SharedState,
  { metrics, tracer }: PipelineObservers = {},
): Stage[] {
  const stages: Stage[] = [];
  if (tracer) stages.push(new TracingStage(tracer));
  if (config.cache.ttlS > 0) {
    const recorder = cacheRecorders(metrics, tracer ? traceCacheLookups : undefined);
    stages.push(new CacheStage(shared.cache, cachePolicy(config.cache.ttlS, config.cache.staleS), Date.now, recorder));
  }
  stages.push(new InFlightStage(), new CircuitBreakerStage(definition.name, config.circuit), new RetryStage(config.retry));
  if (settings.rateLimitPerMinute > 0) {
    const quota = { perMinute: settings.rateLimitPerMinute, queueMs: config.upstreamQueueMs, readHint: definition.rateLimitHint?.bind(definition) };
    stages.push(new QuotaStage(shared.quotas, quota, abortableSleep, Date.now, metrics));
  }
  if (metrics) stages.push(new MetricsStage(metrics));
  if (tracer) stages.push(new AttemptTracingStage(tracer));
  return stages;
}

/** Builds one client per configured provider from its definition: the one place clients are made; `observers` record their calls. */
export function connectProviders(config: Config, shared: SharedState, observers: PipelineObservers = {}): ProviderConnections {
  const connections: ProviderConnections = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const settings: ProviderSettings | undefined = config.providers[definition.name];
    if (!settings) continue;
    const stages = upstreamStages(definition, settings, config, shared, observers);
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
    const circuit = stages.find((stage): stage is CircuitBreakerStage => stage instanceof CircuitBreakerStage);
    const limited = stages.some((stage) => stage instanceof QuotaStage);
    connections[definition.name] = {
      ...opened,
      session: opened.session,
      definition,
      client,
      stages,
      async status() {
        const perMinute = settings.rateLimitPerMinute;
        const used = limited ? await shared.quotas.used(QuotaStage.key(client.scope)) : 0;
        return {
          circuit: circuit?.state ?? 'closed',
          quota: limited ? { perMinute, used, remaining: Math.max(0, perMinute - used) } : null,
        };
      },
      close: () => client.close(),
    };
  }
  return connections;
}
