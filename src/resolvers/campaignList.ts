import type { GatewayContext } from '../context.js';
import type { CampaignModel, CampaignStatus, ProviderName } from '../domain/campaign.js';
import { ProviderNotConfiguredError } from '../errors.js';
import type { CampaignListPage, CampaignLister, PositionCodec } from '../providers/provider.js';
import { providersWith } from '../providers/registry.js';
import { serveConnection, type Connection } from '../relay/connection.js';

const CONNECTION = 'campaigns';
/** No provider lists ten million campaigns; a larger position is a forged cursor. */
const MAX_POSITION = 10_000_000;

export interface CampaignListArgs {
  first: number;
  after: string | null;
  providers: readonly ProviderName[] | null;
  statuses: readonly CampaignStatus[] | null;
}

/** Where a campaigns cursor resumes: a provider and a position in its own list. */
type Position = [provider: ProviderName, next: number];

/**
 * `Query.campaigns`: the lists of the providers that can list (capability `campaignList`), one
 * after another in registry order, each in its API's order. A page reads only the providers it
 * reaches; `totalCount` costs calls to the others only when it is selected.
 */
export async function listCampaigns(args: CampaignListArgs, context: GatewayContext): Promise<Connection<CampaignModel>> {
  const listing = providersWith('campaignList');
  const providers = listedProviders(listing, args.providers, context);
  const scope = { providers: args.providers ? [...args.providers].sort() : null, statuses: args.statuses ? [...args.statuses].sort() : null };
  const totals = new Map<ProviderName, number | null>();
  const connection = await serveConnection<CampaignModel, Position>({
    connection: CONNECTION,
    scope,
    after: args.after,
    positions: positionCodec(listing),
    start: [providers[0] ?? listing[0]!, 0],
    read: async ([provider, next]) => {
      let index = providers.indexOf(provider);
      let position = next;
      if (index < 0) {
        // A cursor over a provider no longer listed (configuration changed): resume with the next one.
        index = providers.findIndex((p) => listing.indexOf(p) > listing.indexOf(provider));
        position = 0;
        if (index < 0) index = providers.length;
      }
      const nodes: CampaignModel[] = [];
      const positions: Position[] = [];
      let hasMore = false;
      while (index < providers.length) {
        const name = providers[index]!;
        const page = await lister(name, context).listCampaigns({ position, count: args.first - nodes.length, statuses: args.statuses });
        totals.set(name, page.total);
        for (const entry of page.entries) {
          nodes.push(entry.campaign);
          positions.push([name, entry.next]);
        }
        if (nodes.length >= args.first) {
          hasMore = page.hasMore || (await anyAfter(providers.slice(index + 1), args.statuses, totals, context));
          break;
        }
        index++;
        position = 0;
      }
      return {
        nodes,
        positionAfter: (i) => positions[i]!,
        hasNextPage: hasMore,
        // Resolved only when selected (graphql-js calls function properties).
        totalCount: () => totalCount(providers, args.statuses, totals, context),
      };
    },
  });
  return connection!;
}

function lister(name: ProviderName, context: GatewayContext): CampaignLister {
  return context.providers.require(name).campaignList!;
}

/**
 * Whether any of these providers has a campaign for the statuses: asked only when a page ends
 * exactly where a provider's list ends, so `hasNextPage` stays exact (one small call per provider
 * until one has something).
 */
async function anyAfter(
  providers: ProviderName[],
  statuses: readonly CampaignStatus[] | null,
  totals: Map<ProviderName, number | null>,
  context: GatewayContext,
): Promise<boolean> {
  for (const name of providers) {
    const head = await probe(name, statuses, context);
    totals.set(name, head.total);
    if (head.hasMore) return true;
  }
  return false;
}

/** The head of a provider's list: its total and whether it has anything, for one small call. */
function probe(name: ProviderName, statuses: readonly CampaignStatus[] | null, context: GatewayContext): Promise<CampaignListPage> {
  return lister(name, context).listCampaigns({ position: 0, count: 0, statuses });
}

/** A campaigns cursor's position, checked: the signature proves who made it, not that it is sane. */
function positionCodec(listing: readonly ProviderName[]): PositionCodec<Position> {
  return {
    write: (position) => position,
    read: (value) =>
      Array.isArray(value) &&
      value.length === 2 &&
      (listing as readonly unknown[]).includes(value[0]) &&
      Number.isInteger(value[1]) &&
      value[1] >= 0 &&
      value[1] <= MAX_POSITION
        ? (value as Position)
        : null,
  };
}

/** Which providers a list covers: the named ones (each must be able to list), or every one that can. */
function listedProviders(listing: readonly ProviderName[], named: readonly ProviderName[] | null, context: GatewayContext): ProviderName[] {
  if (!named) {
    return listing.filter((p) => context.providers.isConfigured(p) && !context.providers.listingUnavailable(p));
  }
  return listing.filter((p) => named.includes(p)).map((p) => {
    context.providers.require(p);
    const unavailable = context.providers.listingUnavailable(p);
    if (unavailable) throw new ProviderNotConfiguredError(p, unavailable);
    return p;
  });
}

async function totalCount(
  providers: ProviderName[],
  statuses: readonly CampaignStatus[] | null,
  known: Map<ProviderName, number | null>,
  context: GatewayContext,
): Promise<number | null> {
  const totals = await Promise.all(
    providers.map(async (name) => {
      if (known.has(name)) return known.get(name)!;
      return (await probe(name, statuses, context)).total;
    }),
  );
  return totals.some((t) => t === null) ? null : totals.reduce<number>((sum, t) => sum + t!, 0);
}
