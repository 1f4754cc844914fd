import { dripcelDemoData } from '../../src/providers/dripcel/demoData.js';
import { emailSendXDemoCampaigns } from '../../src/providers/emailsendx/demoData.js';
import { migmaDemoData } from '../../src/providers/migma/demoData.js';
import { PROVIDER_DEFINITIONS } from '../../src/providers/registry.js';

/** Every route a provider calls, as its definition writes it: the only values a `route` label or attribute may take. */
export const ROUTE_TEMPLATES = new Set(PROVIDER_DEFINITIONS.flatMap((d) => Object.values(d.routes).map((r) => `${r.method} ${r.template}`)));

/** Provider ids of the demo data: none may appear in metrics or traces. */
export const DEMO_IDS = [
  ...migmaDemoData().campaigns.map((c) => c.id),
  ...dripcelDemoData().campaigns.map((c) => c._id),
  ...emailSendXDemoCampaigns().map((c) => c.id),
];

/** The 30-campaign dashboard, named. */
export const DASHBOARD = (name: string) =>
  /* GraphQL */ `query ${name} { campaigns(first: 30) { totalCount edges { node { id provider name status stats { sent openRate } } } } }`;

export const ESX_LOOKUP = `query Lookup { campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { name } }`;
