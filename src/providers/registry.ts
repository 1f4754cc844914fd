import type { ProviderName } from '../domain/campaign.js';
import { dripcel } from './dripcel/index.js';
import { emailSendX } from './emailsendx/index.js';
import { infobip } from './infobip/index.js';
import { migma } from './migma/index.js';
import type { Capability, ProviderDefinition } from './provider.js';

/**
 * Every provider the gateway can serve, in the order `Query.campaigns` lists them. Adding a
 * provider: a folder under src/providers with its definition, and a line here.
 */
export const PROVIDER_DEFINITIONS: readonly ProviderDefinition[] = [migma, dripcel, emailSendX, infobip];

const BY_NAME = new Map<string, ProviderDefinition>(PROVIDER_DEFINITIONS.map((definition) => [definition.name, definition]));

export function providerDefinition(name: ProviderName): ProviderDefinition | undefined {
  return BY_NAME.get(name);
}

/** Whether a provider has a capability (false for a name no definition has). */
export function hasCapability(name: ProviderName, capability: Capability): boolean {
  return BY_NAME.get(name)?.capabilities.includes(capability) ?? false;
}

/** The providers with a capability, in registry order. */
export function providersWith(capability: Capability): ProviderName[] {
  return PROVIDER_DEFINITIONS.filter((definition) => definition.capabilities.includes(capability)).map((definition) => definition.name);
}
