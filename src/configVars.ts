/**
 * Readers of single configuration variables, shared by src/config.ts and the provider definitions
 * (each parses its own variables from the environment config.ts hands it). Each throws a
 * {@link ConfigError} naming the variable.
 */

export type Env = Readonly<Record<string, string | undefined>>;

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

/** The trimmed value, or null when unset or blank. */
export function nonEmpty(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** A base URL is scheme + host (+ port): the client appends the provider's documented path. */
export function baseUrlVar(env: Env, variable: string): string | null {
  const raw = nonEmpty(env[variable]);
  if (!raw) return null;
  const url = parseUrl(variable, raw, `"${raw}" is not a URL; expected scheme and host, e.g. https://api.example.com`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(variable, `must be http or https; got ${url.protocol}`);
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || url.password) {
    throw new ConfigError(variable, `must be scheme + host (+ port) only, e.g. ${url.origin}; the gateway appends the provider's documented path`);
  }
  return url.origin;
}

export function urlVar(env: Env, variable: string, protocols: string[]): string | null {
  const raw = nonEmpty(env[variable]);
  if (!raw) return null;
  // A URL's password (redis://:secret@host) is never echoed.
  const url = parseUrl(variable, raw, `"${raw.replace(/\/\/[^@/]*@/, '//***@')}" is not a URL`);
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(variable, `must start with ${protocols.map((p) => `${p}//`).join(' or ')}`);
  }
  return raw;
}

function parseUrl(variable: string, raw: string, notAUrl: string): URL {
  try {
    return new URL(raw);
  } catch {
    throw new ConfigError(variable, notAUrl);
  }
}

export function integerVar(env: Env, variable: string, fallback: number, min: number, max: number): number {
  const raw = nonEmpty(env[variable]);
  if (raw === null) return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(variable, `must be a whole number; got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(variable, `must be between ${min} and ${max}; got ${value}`);
  return value;
}

export function enumVar<T extends string>(env: Env, variable: string, values: readonly T[], fallback: T): T {
  const raw = nonEmpty(env[variable])?.toLowerCase();
  if (raw == null) return fallback;
  if (!(values as readonly string[]).includes(raw)) throw new ConfigError(variable, `must be one of ${values.join(', ')}; got "${raw}"`);
  return raw as T;
}

export function booleanVar(env: Env, variable: string): boolean | null {
  const raw = nonEmpty(env[variable])?.toLowerCase();
  if (raw == null) return null;
  if (['true', '1', 'yes'].includes(raw)) return true;
  if (['false', '0', 'no'].includes(raw)) return false;
  throw new ConfigError(variable, `must be true or false; got "${raw}"`);
}

/** A number from 0 to 1 (a sampling ratio). */
export function fractionVar(env: Env, variable: string, fallback: number): number {
  const raw = nonEmpty(env[variable]);
  if (raw === null) return fallback;
  const value = /^(?:\d+(?:\.\d*)?|\.\d+)$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= 0 && value <= 1)) throw new ConfigError(variable, `must be a number from 0 to 1; got "${raw}"`);
  return value;
}

/**
 * A comma-separated `key=value` list, values percent-encoded (the W3C Baggage format that
 * OTEL_EXPORTER_OTLP_HEADERS and OTEL_RESOURCE_ATTRIBUTES use); null when unset. Values may be
 * credentials (an observability backend's API key): an error names the entry's position and key,
 * never a value.
 */
export function keyValueListVar(env: Env, variable: string): Record<string, string> | null {
  const raw = nonEmpty(env[variable]);
  if (raw === null) return null;
  const entries: Record<string, string> = {};
  raw.split(',').forEach((entry, index) => {
    if (!entry.trim()) return;
    const equals = entry.indexOf('=');
    const key = equals > 0 ? entry.slice(0, equals).trim() : '';
    if (!key || /[\s"]/.test(key)) throw new ConfigError(variable, `entry ${index + 1} is not key=value (comma-separated key=value pairs, values URL-encoded)`);
    let value: string;
    try {
      value = decodeURIComponent(entry.slice(equals + 1).trim());
    } catch {
      throw new ConfigError(variable, `the value of "${key}" is not valid percent-encoding`);
    }
    entries[key] = value;
  });
  return entries;
}
