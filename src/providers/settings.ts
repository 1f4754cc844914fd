import { baseUrlVar, ConfigError, integerVar, nonEmpty, type Env } from '../configVars.js';
import type { ProviderName } from '../domain/campaign.js';
import type { ProviderDefinition, ProviderSettings } from './provider.js';
import { PROVIDER_DEFINITIONS } from './registry.js';

/** The settings of each enabled provider (its key is set). */
export type ProviderSettingsMap = Partial<Record<ProviderName, ProviderSettings>>;

/** Reads every provider's variables: a provider is enabled when its key is set. */
export function readProviderSettings(env: Env): ProviderSettingsMap {
  const settings: ProviderSettingsMap = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const read = readOne(definition, env);
    if (read) settings[definition.name] = read;
  }
  return settings;
}

function readOne(definition: ProviderDefinition, env: Env): ProviderSettings | null {
  const { apiKey: keyVar, baseUrl: urlVar, rateLimit: rateVar } = definition.variables;
  const apiKey = nonEmpty(env[keyVar]);
  const baseUrl = baseUrlVar(env, urlVar) ?? definition.defaultBaseUrl;
  const rateLimitPerMinute = integerVar(env, rateVar, definition.quota.perMinute, 0, 1_000_000);
  if (!apiKey) return null;
  if (!baseUrl) throw new ConfigError(urlVar, `is required when ${keyVar} is set (the base URL is per account)`);
  const base = { apiKey, baseUrl, rateLimitPerMinute };
  return definition.readSettings ? definition.readSettings(env, base) : base;
}

/** The variables that enable a provider, for PROVIDER_NOT_CONFIGURED messages. */
export function credentialVariables(definition: ProviderDefinition): string {
  return definition.defaultBaseUrl ? definition.variables.apiKey : `${definition.variables.apiKey} and ${definition.variables.baseUrl}`;
}

/** Every provider's key variable, in registry order (for "set one of these" messages). */
export function providerKeyVariables(): string[] {
  return PROVIDER_DEFINITIONS.map((definition) => definition.variables.apiKey);
}
