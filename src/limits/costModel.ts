import {
  getNamedType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ProviderName } from '../domain/campaign.js';
import type { Capability, ProviderCosts, ProviderDefinition } from '../providers/provider.js';
import { DEFAULT_FIRST, MAX_FIRST } from '../relay/connection.js';

/** A worst-case estimate of what an operation costs upstream, before it runs. */
export interface CostEstimate {
  /** Upstream calls, assuming no cache and no sharing. */
  calls: number;
  /** Items the connections return (campaigns, log rows). */
  rows: number;
  /** What GATEWAY_MAX_COST limits: one per call, one per 100 rows. */
  cost: number;
}

/** Which providers an object of the walk can come from (a Campaign from `campaigns` is a listing provider's). */
type Origin = readonly ProviderName[];

interface Args {
  get(name: string): unknown;
}

/** What a field costs per parent object, and which providers its objects come from. */
interface FieldCost {
  calls(args: Args, origin: Origin): number;
  /** The providers the field's objects come from; default: the parent's. */
  origin?(args: Args, origin: Origin): Origin;
}

/**
 * The cost model: what each field that reaches a provider costs per parent object, from the
 * providers' definitions (their `costs`, for the capability the field uses), and which providers
 * its objects can come from. Fields not listed cost nothing (they read what their parent holds);
 * a test checks that every resolver that can call upstream is listed.
 */
export function fieldCosts(definitions: readonly ProviderDefinition[]): Record<string, FieldCost> {
  const all = definitions.map((d) => d.name);
  const costsOf = (name: ProviderName) => definitions.find((d) => d.name === name)!.costs;
  const capable = (capability: Capability) => definitions.filter((d) => d.capabilities.includes(capability)).map((d) => d.name);
  /** The most any of `origin` charges; 0 when none of them has it. */
  const most = (origin: Origin, charge: (costs: ProviderCosts) => number | undefined) =>
    Math.max(0, ...origin.map((name) => charge(costsOf(name)) ?? 0));
  const first = (args: Args) => numberOr(args.get('first'), DEFAULT_FIRST);
  const listing = (args: Args): Origin => {
    const named = (args.get('filter') as { providers?: unknown } | undefined)?.providers;
    const listers = capable('campaignList');
    return Array.isArray(named) ? listers.filter((p) => named.includes(p)) : listers;
  };
  const lookup: FieldCost = { calls: (_args, origin) => most(origin, (c) => c.lookup) };
  return {
    'Query.campaigns': {
      calls: (args) => listing(args).reduce((sum, name) => sum + (costsOf(name).listCampaigns?.(first(args)) ?? 0), 0),
      origin: listing,
    },
    'Query.campaign': { calls: () => most(all, (c) => c.lookup), origin: () => all },
    'Query.node': { calls: () => most(all, (c) => c.lookup), origin: () => all },
    'Query.campaignByProviderId': {
      calls: (args) => most(providerArg(args, all), (c) => c.lookup),
      origin: (args) => providerArg(args, all),
    },
    'Query.nodes': { calls: (args) => listLength(args.get('ids')) * most(all, (c) => c.lookup), origin: () => all },
    'Query._entities': { calls: (args) => listLength(args.get('representations')) * most(all, (c) => c.lookup), origin: () => all },
    'Query.sendLogs': { calls: (args) => most(capable('sendLogs'), (c) => c.sendLogSearch?.(first(args))), origin: () => capable('sendLogs') },
    'Query.emailLogs': { calls: (args) => most(capable('emailLogs'), (c) => c.emailLogSearch?.(first(args))), origin: () => capable('emailLogs') },
    'Campaign.stats': { calls: (_args, origin) => most(origin, (c) => c.stats) },
    'Campaign.recipientLogs': { calls: (args, origin) => most(origin, (c) => c.recipientLogs?.(first(args))) },
    'Campaign.sendLogs': { calls: (args, origin) => most(origin, (c) => c.campaignSendLogs?.(first(args))) },
    'Campaign.emailLogs': { calls: (args, origin) => most(origin, (c) => c.campaignEmailLogs?.(first(args))) },
    'SendLog.destinations': { calls: (_args, origin) => most(origin, (c) => c.destinations) },
    'SendLog.campaign': lookup,
    'EmailLog.campaign': lookup,
    'RecipientLog.campaign': lookup,
    // totalCount of a campaigns page: one small call per listing provider the page did not reach.
    'CampaignConnection.totalCount': { calls: (_args, origin) => origin.length },
    'SendLogConnection.totalCount': { calls: () => 1 },
    // Neither Migma's logs nor Infobip's give a total: always null, no call.
    'RecipientLogConnection.totalCount': { calls: () => 0 },
    'EmailLogConnection.totalCount': { calls: () => 0 },
  };
}

/**
 * Estimates an operation before it runs: each field's calls per parent (fieldCosts), multiplied by
 * the `first` of every connection around it (or the length of `ids`/`representations`), so nested
 * connections multiply. Each fragment is priced once per type and origin and reused at every spread.
 */
export function estimateCost(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  variables: Readonly<Record<string, unknown>>,
  costs: Readonly<Record<string, FieldCost>>,
  providers: Origin,
  /** Told the name of every variable the estimate reads (CostEstimates keys its reuse on them). */
  onVariable?: (name: string) => void,
): CostEstimate {
  const memo = new Map<string, { calls: number; rows: number }>();
  const root = schema.getRootType(operation.operation);
  if (!root) return { calls: 0, rows: 0, cost: 0 };

  const price = (set: SelectionSetNode, type: GraphQLObjectType, origin: Origin, items: number, onPath: Set<string>) => {
    let calls = 0;
    let rows = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const condition = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        const inner = price(selection.selectionSet, objectOr(condition, type), origin, items, onPath);
        calls += inner.calls;
        rows += inner.rows;
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || onPath.has(fragment.name.value)) continue;
        const key = JSON.stringify([fragment.name.value, type.name, origin, items]);
        let inner = memo.get(key);
        if (!inner) {
          onPath.add(fragment.name.value);
          inner = price(fragment.selectionSet, objectOr(schema.getType(fragment.typeCondition.name.value), type), origin, items, onPath);
          onPath.delete(fragment.name.value);
          memo.set(key, inner);
        }
        calls += inner.calls;
        rows += inner.rows;
        continue;
      }
      const field = priceField(selection, type, origin, items, onPath);
      calls += field.calls;
      rows += field.rows;
    }
    return { calls, rows };
  };

  /** A field's calls and rows for `items` parent objects. */
  const priceField = (node: FieldNode, parent: GraphQLObjectType, origin: Origin, items: number, onPath: Set<string>) => {
    const name = node.name.value;
    if (name.startsWith('__')) return { calls: 0, rows: 0 };
    const definition = parent.getFields()[name];
    if (!definition) return { calls: 0, rows: 0 };
    const args = argsOf(node, variables, onVariable);
    const charge = costs[`${parent.name}.${name}`];
    const calls = charge ? items * charge.calls(args, origin) : 0;
    const childOrigin = charge?.origin?.(args, origin) ?? origin;
    const childType = getNamedType(definition.type);
    if (!node.selectionSet || !('getFields' in childType)) return { calls, rows: 0 };
    // A connection's edges and nodes are `first` items per connection; `nodes(ids)` and `_entities` one per id.
    const isConnection = childType.name.endsWith('Connection');
    const perParent = name === 'nodes' || name === '_entities' ? Math.max(1, listLength(args.get(name === 'nodes' ? 'ids' : 'representations'))) : 1;
    let rows = 0;
    let inner = { calls: 0, rows: 0 };
    if (isConnection) {
      const pageItems = items * numberOr(args.get('first'), DEFAULT_FIRST);
      rows = pageItems;
      for (const selection of node.selectionSet.selections) {
        if (selection.kind !== Kind.FIELD) continue;
        const connectionType = childType as GraphQLObjectType;
        const sub = connectionType.getFields()[selection.name.value];
        if (!sub) continue;
        if (selection.name.value === 'edges' || selection.name.value === 'nodes') {
          const priced = priceEdges(selection, getNamedType(sub.type) as GraphQLObjectType, childOrigin, pageItems, onPath);
          inner = { calls: inner.calls + priced.calls, rows: inner.rows + priced.rows };
        } else {
          const priced = priceField(selection, connectionType, childOrigin, items, onPath);
          inner = { calls: inner.calls + priced.calls, rows: inner.rows + priced.rows };
        }
      }
    } else {
      inner = price(node.selectionSet, objectOr(childType, parent), childOrigin, items * perParent, onPath);
    }
    return { calls: calls + inner.calls, rows: rows + inner.rows };
  };

  /** `edges { node { ... } }` (or `nodes { ... }`) of `count` items. */
  const priceEdges = (node: FieldNode, type: GraphQLObjectType, origin: Origin, count: number, onPath: Set<string>) => {
    if (!node.selectionSet) return { calls: 0, rows: 0 };
    if (node.name.value === 'nodes') return price(node.selectionSet, type, origin, count, onPath);
    let calls = 0;
    let rows = 0;
    for (const selection of node.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD || selection.name.value !== 'node' || !selection.selectionSet) continue;
      const nodeType = getNamedType(type.getFields().node!.type);
      const inner = price(selection.selectionSet, objectOr(nodeType, type), origin, count, onPath);
      calls += inner.calls;
      rows += inner.rows;
    }
    return { calls, rows };
  };

  const total = price(operation.selectionSet, root, providers, 1, new Set());
  return { calls: total.calls, rows: total.rows, cost: total.calls + Math.ceil(total.rows / 100) };
}

function objectOr(type: unknown, fallback: GraphQLObjectType): GraphQLObjectType {
  return type && typeof type === 'object' && 'getFields' in type && 'getInterfaces' in type ? (type as GraphQLObjectType) : fallback;
}

/** A field's arguments, each read when a price asks for it: only the variables a price reads are reported. */
function argsOf(node: FieldNode, variables: Readonly<Record<string, unknown>>, onVariable: ((name: string) => void) | undefined): Args {
  return {
    get(name) {
      const argument = node.arguments?.find((candidate) => candidate.name.value === name);
      return argument ? valueOf(argument.value, variables, onVariable) : undefined;
    },
  };
}

function valueOf(node: ValueNode, variables: Readonly<Record<string, unknown>>, onVariable: ((name: string) => void) | undefined): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      onVariable?.(node.name.value);
      return variables[node.name.value];
    case Kind.INT:
    case Kind.FLOAT:
      return Number(node.value);
    case Kind.STRING:
    case Kind.ENUM:
      return node.value;
    case Kind.BOOLEAN:
      return node.value;
    case Kind.NULL:
      return null;
    case Kind.LIST:
      return node.values.map((value) => valueOf(value, variables, onVariable));
    case Kind.OBJECT:
      return Object.fromEntries(node.fields.map((field) => [field.name.value, valueOf(field.value, variables, onVariable)]));
  }
}

/**
 * A `first` as execution will use it: absent is the default; out of range (or not a whole number)
 * is refused by that field's resolver with BAD_USER_INPUT before it calls anything, so it costs 0
 * (and the client hears about the real problem, not a cost).
 */
function numberOr(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= MAX_FIRST ? value : 0;
}

function listLength(value: unknown): number {
  return Array.isArray(value) ? value.length : value === undefined || value === null ? 0 : 1;
}

function providerArg(args: Args, all: Origin): Origin {
  const provider = args.get('provider');
  return typeof provider === 'string' && all.includes(provider as ProviderName) ? [provider as ProviderName] : all;
}
