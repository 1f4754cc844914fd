import { expect } from 'vitest';
import type { ProviderName } from '../../src/domain/campaign.js';
import { dripcelDemoData } from '../../src/providers/dripcel/demoData.js';
import { emailSendXDemoCampaigns } from '../../src/providers/emailsendx/demoData.js';
import { infobipDemoLogs } from '../../src/providers/infobip/demoData.js';
import { migmaDemoData } from '../../src/providers/migma/demoData.js';
import type { ProviderDefinition } from '../../src/providers/provider.js';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry.js';

/**
 * What tests that run once per provider (test/upstreamErrors.test.ts, test/faultMatrix.test.ts)
 * ask each one: a lookup of a campaign its demo data has, next to a field of another provider that
 * must keep answering while the first one fails.
 */

/** A campaign each simulator's demo data has (for Infobip, a campaignReferenceId of its logs). */
export const DEMO_CAMPAIGN: Record<ProviderName, string> = {
  MIGMA: migmaDemoData().campaigns[0]!.id,
  DRIPCEL: dripcelDemoData().campaigns[0]!._id,
  EMAILSENDX: emailSendXDemoCampaigns()[0]!.id,
  INFOBIP: infobipDemoLogs(Date.now()).find((log) => log.campaignReferenceId)!.campaignReferenceId!,
};

/**
 * A field that reaches `definition`'s provider, from its capabilities: its campaign list, else its
 * email logs. Root lists are non-null, so this is the field that must keep answering while the
 * other provider fails (a failing non-null root would null the whole answer).
 */
export function reachingField(definition: ProviderDefinition): { field: string; check(value: any): void } {
  const { name } = definition;
  if (definition.capabilities.includes('campaignList')) {
    return {
      field: `campaigns(first: 1, filter: { providers: [${name}] }) { edges { node { provider providerId } } }`,
      check: (value) => expect(value).toEqual({ edges: [{ node: { provider: name, providerId: DEMO_CAMPAIGN[name] } }] }),
    };
  }
  if (definition.capabilities.includes('emailLogs')) {
    return {
      field: `emailLogs(first: 1) { edges { node { messageId } } }`,
      check: (value) => expect(value.edges).toEqual([{ node: { messageId: expect.any(String) } }]),
    };
  }
  return {
    field: `campaignByProviderId(provider: ${name}, providerId: "${DEMO_CAMPAIGN[name]}") { provider providerId }`,
    check: (value) => expect(value).toEqual({ provider: name, providerId: DEMO_CAMPAIGN[name] }),
  };
}

/** Each provider, with the next one (in registry order, round) as the other provider of its queries. */
export const PROVIDER_CASES = PROVIDER_DEFINITIONS.map(
  (definition, i) => [definition.name, definition, PROVIDER_DEFINITIONS[(i + 1) % PROVIDER_DEFINITIONS.length]!] as const,
);

/**
 * `failing` looks up `name`'s demo campaign (nullable: its error costs only itself); `other` asks
 * `other`'s provider, which must still answer.
 */
export function lookupNextToOther(name: ProviderName, other: ProviderDefinition): { query: string; checkOther(value: any): void } {
  const reaching = reachingField(other);
  return {
    query: `{
    failing: campaignByProviderId(provider: ${name}, providerId: "${DEMO_CAMPAIGN[name]}") { provider providerId }
    other: ${reaching.field}
  }`,
    checkOther: reaching.check,
  };
}
