import type { GatewayContext } from '../context.js';
import type { NodeModel } from './mappers.js';
import type { NodeRef, NodeType } from './nodeIds.js';

type Fetcher = (ref: NodeRef, context: GatewayContext) => Promise<NodeModel | null>;

/**
 * How `node`/`nodes` fetch each Node type by its reference: one line per type. A type without a
 * fetcher (not implemented yet) resolves to null.
 */
const FETCHERS: Partial<Record<NodeType, Fetcher>> = {
  Campaign: (ref, context) => context.providers.require(ref.provider).campaign(ref.providerId),
  EmailLog: async (ref, context) => (ref.provider === 'INFOBIP' ? context.providers.require('INFOBIP').emailLog(ref.providerId) : null),
  SendLog: (ref, context) => (ref.provider === 'DRIPCEL' ? context.providers.require('DRIPCEL').sendLog(ref.providerId) : Promise.resolve(null)),
};

const typenames = new WeakMap<object, NodeType>();

export async function fetchNode(ref: NodeRef, context: GatewayContext): Promise<NodeModel | null> {
  const fetcher = FETCHERS[ref.type];
  const value = fetcher ? await fetcher(ref, context) : null;
  if (value) typenames.set(value, ref.type);
  return value;
}

/** The GraphQL type of an object `fetchNode` returned. */
export function typenameOf(value: object): NodeType | null {
  return typenames.get(value) ?? null;
}
