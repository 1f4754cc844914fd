import { COMPILED_EXECUTION_DEFAULTS } from './execution/compiledExecution.js';
import { booleanVar, ConfigError, enumVar, fractionVar, integerVar, keyValueListVar, nonEmpty, urlVar, type Env } from './configVars.js';
import { DEFAULT_CIRCUIT, type CircuitSettings } from './http/circuitBreaker.js';
import { DEFAULT_RETRY, type RetrySettings } from './http/retry.js';
import { DEFAULT_LIMITS, type OperationLimits } from './limits/operationLimits.js';
import { providerKeyVariables, readProviderSettings, type ProviderSettingsMap } from './providers/settings.js';
import { TRACE_SAMPLERS, type TracingSettings } from './tracing.js';
import { readKnownOperations, type KnownOperations } from './knownOperations.js';

function operationsFile(env: Env): { path: string; operations: KnownOperations } | null {
  const path = nonEmpty(env.GATEWAY_OPERATIONS_FILE);
  return path ? { path, operations: readKnownOperations(path) } : null;
}

export { ConfigError } from './configVars.js';

export interface CacheSettings {
  /** The longest any answer is reused; 0 turns the cross-request cache off. */
  ttlS: number;
  /** How long past its TTL an answer may stand in when its provider fails or its quota is spent; 0 never. */
  staleS: number;
  /** Bounds of the in-memory cache (the only one without Redis, the fallback with it). */
  maxEntries: number;
  maxBytes: number;
}

export interface Config {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless HOST says otherwise (the Docker image sets 0.0.0.0). */
  host: string;
  production: boolean;
  /** Introspection and GraphiQL: on outside production, and in production with GATEWAY_INTROSPECTION=true. */
  introspection: boolean;
  upstreamTimeoutMs: number;
  /** UPSTREAM_QUEUE_MS: how long a call may wait for its provider's quota. */
  upstreamQueueMs: number;
  /** The cross-request cache (CACHE_TTL_S, CACHE_STALE_S, CACHE_MAX_ENTRIES, CACHE_MAX_BYTES). */
  cache: CacheSettings;
  /** Retries of upstream calls (UPSTREAM_RETRIES). */
  retry: RetrySettings;
  /** Circuit breaking per provider (UPSTREAM_CIRCUIT_THRESHOLD, UPSTREAM_CIRCUIT_COOLDOWN_MS). */
  circuit: CircuitSettings;
  /** Bearer tokens a request must carry; empty means no gateway auth. */
  apiTokens: string[];
  /**
   * GATEWAY_CORS_ORIGINS: browser origins allowed to call the gateway (`*` for any). Unset: any in
   * development, none in production.
   */
  corsOrigins: string[] | '*' | null;
  /**
   * GATEWAY_OPERATIONS_FILE: when set, only the operations of this manifest run
   * (src/knownOperations.ts): its path, and the operations it held at start-up.
   */
  knownOperations: { path: string; operations: KnownOperations } | null;
  /** GATEWAY_ROUTER_TOKENS: when set, `_service` and `_entities` answer only requests with one of them in `x-router-token`. */
  routerTokens: string[];
  /** Operation limits (GATEWAY_MAX_DEPTH, _ALIASES, _DIRECTIVES, _TOKENS, _COST). */
  limits: OperationLimits;
  /** GATEWAY_MAX_BODY_BYTES: a larger request body gets HTTP 413 before it is read whole. */
  maxBodyBytes: number;
  /**
   * GATEWAY_COMPILE_AFTER_USES: executions of the same document before it runs compiled
   * (graphql-jit, src/execution/compiledExecution.ts); 0 never compiles.
   */
  compileAfterUses: number;
  redisUrl: string | null;
  cursorSecret: string | null;
  /** LOG_LEVEL: debug, info, warn, error or silent; default info (warn in production). */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Each enabled provider's settings, read by its definition. */
  providers: ProviderSettingsMap;
  /** True when no provider key is set: `npm start` then serves the built-in simulators. */
  demo: boolean;
  /**
   * DEMO_FAULTS as given (null when unset): faults the demo simulators play. Demo mode parses it
   * (src/demo/demoMode.ts); outside demo mode it has no effect.
   */
  demoFaults: string | null;
  /**
   * OpenTelemetry tracing (the standard OTEL_* variables): null, and nothing of the SDK loaded,
   * unless OTEL_EXPORTER_OTLP_ENDPOINT (or OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set.
   */
  tracing: TracingSettings | null;
}

/** Reads and validates the environment once. The only reader of process.env. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const providers = readProviderSettings(env);
  const demo = Object.keys(providers).length === 0;
  // Production never serves the simulators' data by accident: demo mode there only when asked for.
  if (demo && production && booleanVar(env, 'GATEWAY_DEMO') !== true) {
    throw new ConfigError(
      'GATEWAY_DEMO',
      `NODE_ENV=production needs a provider key: set ${providerKeyVariables().join(', ')} (with their base URLs where needed), or GATEWAY_DEMO=true to serve the built-in demo simulators`,
    );
  }

  const introspectionFlag = booleanVar(env, 'GATEWAY_INTROSPECTION');
  return {
    port: integerVar(env, 'PORT', 4000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    production,
    introspection: introspectionFlag ?? !production,
    upstreamTimeoutMs: integerVar(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
    upstreamQueueMs: integerVar(env, 'UPSTREAM_QUEUE_MS', 2000, 0, 600_000),
    cache: {
      ttlS: integerVar(env, 'CACHE_TTL_S', 60, 0, 86_400),
      staleS: integerVar(env, 'CACHE_STALE_S', 3600, 0, 7 * 86_400),
      maxEntries: integerVar(env, 'CACHE_MAX_ENTRIES', 10_000, 1, 10_000_000),
      maxBytes: integerVar(env, 'CACHE_MAX_BYTES', 64 * 1024 * 1024, 1024, 16 * 1024 * 1024 * 1024),
    },
    retry: { ...DEFAULT_RETRY, retries: integerVar(env, 'UPSTREAM_RETRIES', DEFAULT_RETRY.retries, 0, 5) },
    circuit: {
      threshold: integerVar(env, 'UPSTREAM_CIRCUIT_THRESHOLD', DEFAULT_CIRCUIT.threshold, 0, 1000),
      cooldownMs: integerVar(env, 'UPSTREAM_CIRCUIT_COOLDOWN_MS', DEFAULT_CIRCUIT.cooldownMs, 0, 3_600_000),
    },
    apiTokens: tokenList(env.GATEWAY_API_TOKENS),
    routerTokens: tokenList(env.GATEWAY_ROUTER_TOKENS),
    knownOperations: operationsFile(env),
    corsOrigins: corsOrigins(env, production),
    limits: {
      depth: integerVar(env, 'GATEWAY_MAX_DEPTH', DEFAULT_LIMITS.depth, 1, 1000),
      aliases: integerVar(env, 'GATEWAY_MAX_ALIASES', DEFAULT_LIMITS.aliases, 0, 100_000),
      directives: integerVar(env, 'GATEWAY_MAX_DIRECTIVES', DEFAULT_LIMITS.directives, 0, 100_000),
      tokens: integerVar(env, 'GATEWAY_MAX_TOKENS', DEFAULT_LIMITS.tokens, 100, 10_000_000),
      cost: integerVar(env, 'GATEWAY_MAX_COST', DEFAULT_LIMITS.cost, 1, 100_000_000),
    },
    maxBodyBytes: integerVar(env, 'GATEWAY_MAX_BODY_BYTES', 1024 * 1024, 1024, 1024 * 1024 * 1024),
    compileAfterUses: integerVar(env, 'GATEWAY_COMPILE_AFTER_USES', COMPILED_EXECUTION_DEFAULTS.minUses, 0, 1_000_000),
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']),
    cursorSecret: nonEmpty(env.CURSOR_SECRET),
    logLevel: enumVar(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, production ? 'warn' : 'info'),
    providers,
    demo,
    demoFaults: nonEmpty(env.DEMO_FAULTS),
    tracing: readTracingSettings(env),
  };
}

function corsOrigins(env: Env, production: boolean): string[] | '*' | null {
  const listed = tokenList(env.GATEWAY_CORS_ORIGINS);
  if (listed.length === 0) return production ? null : '*';
  if (listed.includes('*')) return '*';
  for (const origin of listed) {
    let url: URL | null = null;
    try {
      url = new URL(origin);
    } catch {
      // reported below
    }
    if (!url || url.origin !== origin) throw new ConfigError('GATEWAY_CORS_ORIGINS', `"${origin}" is not an origin (scheme://host[:port], no path), or use *`);
  }
  return listed;
}

/**
 * The OTEL_* variables of the OpenTelemetry specification that the gateway's tracing honours, read
 * here (not by the SDK from process.env) so that a test's or a demo's environment is the whole
 * configuration. A signal-specific variable (`OTEL_EXPORTER_OTLP_TRACES_*`) wins over the general one.
 */
function readTracingSettings(env: Env): TracingSettings | null {
  const httpUrl = ['http:', 'https:'];
  const tracesEndpoint = urlVar(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', httpUrl);
  const endpoint = urlVar(env, 'OTEL_EXPORTER_OTLP_ENDPOINT', httpUrl);
  const disabled = booleanVar(env, 'OTEL_SDK_DISABLED') === true;
  const exporter = enumVar(env, 'OTEL_TRACES_EXPORTER', ['otlp', 'none'] as const, 'otlp');
  if (disabled || exporter === 'none' || (!tracesEndpoint && !endpoint)) return null;

  const protocolVariable = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ? 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL' : 'OTEL_EXPORTER_OTLP_PROTOCOL';
  const protocol = enumVar(env, protocolVariable, ['http/protobuf', 'http/json', 'grpc'] as const, 'http/protobuf');
  if (protocol === 'grpc') {
    throw new ConfigError(protocolVariable, 'grpc is not supported: use http/protobuf (the default) or http/json, and the OTLP/HTTP port of the collector (4318)');
  }
  const first = (traces: string, general: string) => (nonEmpty(env[traces]) ? traces : general);
  const resource = keyValueListVar(env, 'OTEL_RESOURCE_ATTRIBUTES') ?? {};
  const maxQueueSize = integerVar(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048, 1, 1_000_000);
  const maxExportBatchSize = integerVar(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', Math.min(512, maxQueueSize), 1, 1_000_000);
  if (maxExportBatchSize > maxQueueSize) {
    throw new ConfigError('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', `must be at most OTEL_BSP_MAX_QUEUE_SIZE (${maxQueueSize}); got ${maxExportBatchSize}`);
  }
  const sampler = enumVar(env, 'OTEL_TRACES_SAMPLER', TRACE_SAMPLERS, 'parentbased_always_on');
  return {
    // OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is used as given; the general endpoint gets the signal's path.
    url: tracesEndpoint ?? signalUrl(endpoint!, 'v1/traces'),
    protocol,
    headers: {
      ...keyValueListVar(env, 'OTEL_EXPORTER_OTLP_HEADERS'),
      ...keyValueListVar(env, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS'),
    },
    timeoutMs: integerVar(env, first('OTEL_EXPORTER_OTLP_TRACES_TIMEOUT', 'OTEL_EXPORTER_OTLP_TIMEOUT'), 10_000, 1, 600_000),
    compression: enumVar(env, first('OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', 'OTEL_EXPORTER_OTLP_COMPRESSION'), ['gzip', 'none'] as const, 'none'),
    // OTEL_SERVICE_NAME wins over a service.name in OTEL_RESOURCE_ATTRIBUTES (the specification's order).
    serviceName: nonEmpty(env.OTEL_SERVICE_NAME) ?? nonEmpty(resource['service.name']) ?? 'campaign-graph',
    resourceAttributes: resource,
    sampler,
    samplerRatio: sampler.endsWith('traceidratio') ? fractionVar(env, 'OTEL_TRACES_SAMPLER_ARG', 1) : 1,
    batch: {
      scheduledDelayMs: integerVar(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000, 0, 600_000),
      exportTimeoutMs: integerVar(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000, 1, 600_000),
      maxQueueSize,
      maxExportBatchSize,
    },
  };
}

/** `<endpoint>/<path>`, keeping any path the endpoint has (`https://otlp.example.com/tenant-1` -> `.../tenant-1/v1/traces`). */
function signalUrl(endpoint: string, path: string): string {
  const url = new URL(endpoint);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/${path}`;
  return url.toString();
}

function tokenList(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((token) => token.trim())
    .filter(Boolean);
}

