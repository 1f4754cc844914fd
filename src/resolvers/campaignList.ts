import type { GatewayContext } from '../context.js';
import type { CampaignModel, CampaignStatus, ProviderName } from '../domain/campaign.js';
import { ProviderNotConfiguredError } from '../errors.js';
import { UpstreamFailure } from '../http/upstreamFailure.js';
import type { CampaignListPage, CampaignLister, PositionCodec } from '../providers/provider.js';
import { providerDefinition, providersWith } from '../providers/registry.js';
import { serveConnection, type Connection } from '../relay/connection.js';
import { ListSizes, readAhead, servedAhead } from './listSpeculation.js';

const CONNECTION = 'campaigns';
/** No provider lists ten million campaigns; a larger position is a forged cursor. */
const MAX_POSITION = 10_000_000;

export interface CampaignListArgs {
  first: number;
  after: string | null;
  providers: readonly ProviderName[] | null;
  statuses: readonly CampaignStatus[] | null;
}

/** Each gateway's remembered list sizes (by its configuration object: one per gateway). */
const LIST_SIZES = new WeakMap<object, ListSizes>();

/** One provider's list from a position in it. */
type Segment = [provider: ProviderName, next: number];

/**
 * Where a campaigns cursor resumes: the lists still to walk, in order, each from its position.
 * Normally the current provider and the ones after it; a provider that failed moves to the end,
 * from where it stopped, so later pages retry it and a walk never skips its campaigns.
 */
type Plan = Segment[];

/**
 * `Query.campaigns`: the lists of the providers that can list (capability `campaignList`), one
 * after another in registry order, each in its API's order. A page reads only the providers it
 * reaches; `totalCount` costs calls to the others only when it is selected. A provider that fails
 * costs only its own campaigns on this page: the others are served, the failure is reported (with
 * its code and `extensions.provider`) through `onPartialFailure`, and the provider is retried at
 * the end of the walk, from where it stopped.
 */
export async function listCampaigns(
  args: CampaignListArgs,
  context: GatewayContext,
  onPartialFailure: (error: Error) => void,
): Promise<Connection<CampaignModel>> {
  const listing = providersWith('campaignList');
  const providers = listedProviders(listing, args.providers, context);
  const scope = { providers: args.providers ? [...args.providers].sort() : null, statuses: args.statuses ? [...args.statuses].sort() : null };
  const totals = new Map<ProviderName, number | null>();
  const connection = await serveConnection<CampaignModel, Plan>({
    connection: CONNECTION,
    scope,
    after: args.after,
    positions: planCodec(listing),
    start: providers.map((p): Segment => [p, 0]),
    read: async (from) => {
      // Only providers still listed (the configuration may have changed since the cursor was made).
      const plan = resumePlan(from, providers, listing);
      const failed: Plan = [];
      const nodes: CampaignModel[] = [];
      const positions: Plan[] = [];
      let hasMore = false;
      let sizes = LIST_SIZES.get(context.config);
      if (!sizes) LIST_SIZES.set(context.config, (sizes = new ListSizes()));
      const ahead = readAhead(plan, args.first, args.statuses, sizes, (name, query) => lister(name, context).listCampaigns(query), listCalls);
      while (plan.length > 0) {
        const [name, position] = plan[0]!;
        const query = { position, count: args.first - nodes.length, statuses: args.statuses };
        let page: CampaignListPage;
        try {
          // A read started ahead is used only when it answers what the walk asks now.
          page = await (servedAhead(ahead.get(name), query) ?? lister(name, context).listCampaigns(query));
          sizes.remember(name, args.statuses, page);
        } catch (error) {
          if (!(error instanceof UpstreamFailure)) throw error;
          onPartialFailure(error);
          failed.push(plan.shift()!);
          continue;
        }
        totals.set(name, page.total);
        for (const entry of page.entries) {
          nodes.push(entry.campaign);
          positions.push([[name, entry.next], ...plan.slice(1), ...failed]);
        }
        if (nodes.length >= args.first) {
          hasMore = page.hasMore || failed.length > 0 || (await anyAfter(plan.slice(1), args.statuses, totals, context));
          break;
        }
        plan.shift();
      }
      const rest: Plan = [...plan, ...failed];
      if (nodes.length < args.first) hasMore = failed.length > 0;
      return {
        nodes,
        positionAfter: (i) => positions[i]!,
        hasNextPage: hasMore,
        // A page that served nothing because its providers failed still gives a cursor to retry with.
        endPosition: nodes.length === 0 && hasMore ? rest : undefined,
        // Resolved only when selected (graphql-js calls function properties).
        totalCount: () => totalCount(providers, args.statuses, totals, context),
      };
    },
  });
  return connection!;
}

/** What the provider's cost model says a read of `count` campaigns costs in calls. */
function listCalls(name: ProviderName, count: number): number {
  return providerDefinition(name)?.costs.listCampaigns?.(count) ?? 1;
}

function lister(name: ProviderName, context: GatewayContext): CampaignLister {
  return context.providers.require(name).campaignList!;
}

/** The cursor's plan, keeping listed providers only; an empty plan when nothing is left. */
function resumePlan(from: Plan, providers: readonly ProviderName[], listing: readonly ProviderName[]): Plan {
  const kept = from.filter(([name]) => providers.includes(name));
  if (kept.length > 0 || from.length === 0) return kept.map(([name, next]): Segment => [name, next]);
  // Every provider of the cursor is gone: resume with the listed ones that came after its first.
  const after = listing.indexOf(from[0]![0]);
  return providers.filter((p) => listing.indexOf(p) > after).map((p): Segment => [p, 0]);
}

/**
 * Whether any of these providers has a campaign for the statuses: asked only when a page ends
 * exactly where a provider's list ends, so `hasNextPage` stays exact (one small call per provider
 * until one has something). A provider that cannot say counts as having more: the walk goes on.
 */
async function anyAfter(
  plan: Plan,
  statuses: readonly CampaignStatus[] | null,
  totals: Map<ProviderName, number | null>,
  context: GatewayContext,
): Promise<boolean> {
  for (const [name, position] of plan) {
    if (position > 0) return true;
    try {
      const head = await probe(name, statuses, context);
      totals.set(name, head.total);
      if (head.hasMore) return true;
    } catch (error) {
      if (error instanceof UpstreamFailure) return true;
      throw error;
    }
  }
  return false;
}

/** The head of a provider's list: its total and whether it has anything, for one small call. */
function probe(name: ProviderName, statuses: readonly CampaignStatus[] | null, context: GatewayContext): Promise<CampaignListPage> {
  return lister(name, context).listCampaigns({ position: 0, count: 0, statuses });
}

/**
 * A campaigns cursor's plan, checked: the signature proves who made it, not that it is sane. The
 * single `[provider, next]` of cursors made before plans existed is read as that provider and the
 * ones after it.
 */
function planCodec(listing: readonly ProviderName[]): PositionCodec<Plan> {
  const isSegment = (value: unknown): value is Segment =>
    Array.isArray(value) &&
    value.length === 2 &&
    (listing as readonly unknown[]).includes(value[0]) &&
    Number.isInteger(value[1]) &&
    value[1] >= 0 &&
    value[1] <= MAX_POSITION;
  return {
    write: (plan) => plan,
    read(value) {
      if (isSegment(value)) return [value, ...listing.filter((p) => listing.indexOf(p) > listing.indexOf(value[0])).map((p): Segment => [p, 0])];
      if (!Array.isArray(value) || value.length > listing.length || !value.every(isSegment)) return null;
      const names = value.map(([name]) => name);
      return new Set(names).size === names.length ? (value as Plan) : null;
    },
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
