import type { ProviderName } from '../domain/campaign.js';
import { dripcel } from './dripcel/index.js';
import type { DripcelSession } from './dripcel/session.js';
import { emailSendX } from './emailsendx/index.js';
import type { EmailSendXSession } from './emailsendx/session.js';
import { migma } from './migma/index.js';
import type { MigmaSession } from './migma/session.js';
import { infobip } from './infobip/index.js';
import type { InfobipSession } from './infobip/session.js';
import type { CampaignSource, ProviderModule } from './provider.js';

/** Each provider's per-request session type: what resolvers get from `context.providers.get(name)`. */
export interface ProviderSessions {
  DRIPCEL: DripcelSession;
  EMAILSENDX: EmailSendXSession;
  MIGMA: MigmaSession;
  INFOBIP: InfobipSession;
}

/** Every provider the gateway can serve. Adding one: a folder under src/providers and a line here. */
export const PROVIDER_MODULES: { [K in keyof ProviderSessions]: ProviderModule<ProviderSessions[K]> } = {
  DRIPCEL: dripcel,
  EMAILSENDX: emailSendX,
  MIGMA: migma,
  INFOBIP: infobip,
};

/** Providers whose campaigns `Query.campaigns` lists, in the contract's order. */
export const LISTING_ORDER: readonly ProviderName[] = ['MIGMA', 'DRIPCEL', 'EMAILSENDX'];

export function providerModule(name: ProviderName): ProviderModule<CampaignSource> | undefined {
  return (PROVIDER_MODULES as Partial<Record<ProviderName, ProviderModule<CampaignSource>>>)[name];
}
