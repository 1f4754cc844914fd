import type { ProviderName } from './domain/campaign.js';
import { DEFAULT_RESILIENCE, type ResilienceSettings } from './http/resilience.js';

/** Connection settings of one provider. */
export interface ProviderSettings {
  apiKey: string;
  /** scheme + host (+ port), no trailing slash; the client appends the documented path. */
  baseUrl: string;
}

export interface MigmaSettings extends ProviderSettings {
  /** Needed to list campaigns; without it Migma serves lookups only. */
  projectId: string | null;
}

export interface Config {
  port: number;
  /** Interface to listen on; 127.0.0.1 unless HOST says otherwise (the Docker image sets 0.0.0.0). */
  host: string;
  production: boolean;
  /** Introspection and GraphiQL: on outside production, and in production with GATEWAY_INTROSPECTION=true. */
  introspection: boolean;
  upstreamTimeoutMs: number;
  /** Retries and circuit breaking of upstream calls (UPSTREAM_RETRIES, UPSTREAM_CIRCUIT_*). */
  resilience: ResilienceSettings;
  /** Bearer tokens a request must carry; empty means no gateway auth. */
  apiTokens: string[];
  redisUrl: string | null;
  cursorSecret: string | null;
  /** LOG_LEVEL: debug, info, warn, error or silent; default info (warn in production). */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  providers: {
    MIGMA?: MigmaSettings;
    DRIPCEL?: ProviderSettings;
    EMAILSENDX?: ProviderSettings;
    INFOBIP?: ProviderSettings;
  };
  /** True when no provider key is set: `npm start` then serves the built-in simulators. */
  demo: boolean;
}

/** A configuration problem, named by its variable; start-up prints the message and stops. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable}: ${message}`);
  }
}

const DEFAULT_BASE_URLS: Record<ProviderName, string | null> = {
  MIGMA: 'https://api.migma.ai',
  DRIPCEL: 'https://api.dripcel.com',
  EMAILSENDX: 'https://emailsendx.com',
  INFOBIP: null, // per account: https://xxxxx.api.infobip.com
};

type Env = Record<string, string | undefined>;

/** Reads and validates the environment once. The only reader of process.env. */
export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const providers: Config['providers'] = {};
  const migma = providerSettings(env, 'MIGMA');
  if (migma) providers.MIGMA = { ...migma, projectId: nonEmpty(env.MIGMA_PROJECT_ID) };
  const dripcel = providerSettings(env, 'DRIPCEL');
  if (dripcel) providers.DRIPCEL = dripcel;
  const emailSendX = providerSettings(env, 'EMAILSENDX');
  if (emailSendX) providers.EMAILSENDX = emailSendX;
  const infobip = providerSettings(env, 'INFOBIP');
  if (infobip) providers.INFOBIP = infobip;

  const introspectionFlag = booleanVar(env, 'GATEWAY_INTROSPECTION');
  return {
    port: integerVar(env, 'PORT', 4000, 0, 65535),
    host: nonEmpty(env.HOST) ?? '127.0.0.1',
    production,
    introspection: introspectionFlag ?? !production,
    upstreamTimeoutMs: integerVar(env, 'UPSTREAM_TIMEOUT_MS', 10_000, 1, 600_000),
    resilience: {
      ...DEFAULT_RESILIENCE,
      retries: integerVar(env, 'UPSTREAM_RETRIES', DEFAULT_RESILIENCE.retries, 0, 5),
      circuitThreshold: integerVar(env, 'UPSTREAM_CIRCUIT_THRESHOLD', DEFAULT_RESILIENCE.circuitThreshold, 0, 1000),
      circuitCooldownMs: integerVar(env, 'UPSTREAM_CIRCUIT_COOLDOWN_MS', DEFAULT_RESILIENCE.circuitCooldownMs, 0, 3_600_000),
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

function providerSettings(env: Env, provider: ProviderName): ProviderSettings | null {
  const apiKey = nonEmpty(env[`${provider}_API_KEY`]);
  const baseUrlVar = `${provider}_BASE_URL`;
  const baseUrl = baseUrlOf(env, baseUrlVar);
  if (!apiKey) return null;
  const resolved = baseUrl ?? DEFAULT_BASE_URLS[provider];
  if (!resolved) {
    throw new ConfigError(baseUrlVar, `is required when ${provider}_API_KEY is set (it is per account, e.g. https://xxxxx.api.infobip.com)`);
  }
  return { apiKey, baseUrl: resolved };
}

/** A base URL is scheme + host (+ port): the client appends the provider's documented path. */
function baseUrlOf(env: Env, variable: string): string | null {
  const raw = nonEmpty(env[variable]);
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `"${raw}" is not a URL; expected scheme and host, e.g. https://api.example.com`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, `must be http or https; got ${url.protocol}`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(
      variable,
      `must be scheme + host (+ port) only, e.g. ${url.origin}; the gateway appends the provider's documented path`,
    );
  }
  return url.origin;
}

function urlVar(env: Env, variable: string, protocols: string[]): string | null {
  const raw = nonEmpty(env[variable]);
  if (!raw) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(variable, `"${raw.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(variable, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function integerVar(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[variable]);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number; got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(variable, `must be between ${min} and ${max}; got ${value}`);
  return value;
}

function enumVar<T extends string>(env: Env, variable: string, values: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[variable])?.toLowerCase();
  if (raw == null) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(variable, `must be one of ${values.join(', ')}; got "${raw}"`);
  return raw as T;
}

function booleanVar(env: Env, variable: string): boolean | null {
  const raw = nonEmpty(env[variable])?.toLowerCase();
  if (raw == null) return null;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(variable, `must be true or false; got "${raw}"`);
}

function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}
