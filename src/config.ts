import { booleanVar, enumVar, integerVar, nonEmpty, urlVar, type Env } from './configVars.js';
import { DEFAULT_CIRCUIT, type CircuitSettings } from './http/circuitBreaker.js';
import { DEFAULT_RETRY, type RetrySettings } from './http/retry.js';
import { readProviderSettings, type ProviderSettingsMap } from './providers/settings.js';

export { ConfigError } from './configVars.js';

export interface Config {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless HOST says otherwise (the Docker image sets 0.0.0.0). */
  host: string;
  production: boolean;
  /** Introspection and GraphiQL: on outside production, and in production with GATEWAY_INTROSPECTION=true. */
  introspection: boolean;
  upstreamTimeoutMs: number;
  /** Retries of upstream calls (UPSTREAM_RETRIES). */
  retry: RetrySettings;
  /** Circuit breaking per provider (UPSTREAM_CIRCUIT_THRESHOLD, UPSTREAM_CIRCUIT_COOLDOWN_MS). */
  circuit: CircuitSettings;
  /** Bearer tokens a request must carry; empty means no gateway auth. */
  apiTokens: string[];
  redisUrl: string | null;
  cursorSecret: string | null;
  /** LOG_LEVEL: debug, info, warn, error or silent; default info (warn in production). */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Each enabled provider's settings, read by its definition. */
  providers: ProviderSettingsMap;
  /** True when no provider key is set: `npm start` then serves the built-in simulators. */
  demo: boolean;
}

/** Reads and validates the environment once. The only reader of process.env. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const providers = readProviderSettings(env);

  const introspectionFlag = booleanVar(env, 'GATEWAY_INTROSPECTION');
  return {
    port: integerVar(env, 'PORT', 4000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    production,
    introspection: introspectionFlag ?? !production,
    upstreamTimeoutMs: integerVar(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
    retry: { ...DEFAULT_RETRY, retries: integerVar(env, 'UPSTREAM_RETRIES', DEFAULT_RETRY.retries, 0, 5) },
    circuit: {
      threshold: integerVar(env, 'UPSTREAM_CIRCUIT_THRESHOLD', DEFAULT_CIRCUIT.threshold, 0, 1000),
      cooldownMs: integerVar(env, 'UPSTREAM_CIRCUIT_COOLDOWN_MS', DEFAULT_CIRCUIT.cooldownMs, 0, 3_600_000),
    },
    apiTokens: (env.GATEWAY_API_TOKENS ?? '')
      .split(',')
      .map((token) => token.trim())
      .filter(Boolean),
    redisUrl: urlVar(env, 'REDIS_URL', ['redis:', 'rediss:']),
    cursorSecret: nonEmpty(env.CURSOR_SECRET),
    logLevel: enumVar(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, production ? 'warn' : 'info'),
    providers,
    demo: Object.keys(providers).length === 0,
  };
}

