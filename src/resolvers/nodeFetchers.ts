import type { GatewayContext } from '../context.js';
import { hasCapability } from '../providers/registry.js';
import type { NodeModel } from './mappers.js';
import type { NodeRef, NodeType } from './nodeIds.js';

type Fetcher = (ref: NodeRef, context: GatewayContext) => Promise<NodeModel | null>;

/**
 * How `node`/`nodes`/`_entities` fetch each Node type by its reference: one line per type. A log
 * id of a provider without that kind of log names nothing: null, without asking the provider.
 */
const FETCHERS: Record<NodeType, Fetcher> = {
  Campaign: (ref, context) => context.providers.require(ref.provider).campaign(ref.providerId),
  EmailLog: async (ref, context) =>
    hasCapability(ref.provider, 'emailLogs') ? context.providers.require(ref.provider).emailLogs!.emailLog(ref.providerId) : null,
  SendLog: async (ref, context) =>
    hasCapability(ref.provider, 'sendLogs') ? context.providers.require(ref.provider).sendLogs!.sendLog(ref.providerId) : null,
};

const typenames = new WeakMap<object, NodeType>();

export async function fetchNode(ref: NodeRef, context: GatewayContext): Promise<NodeModel | null> {
  const value = await FETCHERS[ref.type](ref, context);
  if (value) typenames.set(value, ref.type);
  return value;
}

/** The GraphQL type of an object `fetchNode` returned. */
export function typenameOf(value: object): NodeType | null {
  return typenames.get(value) ?? null;
}
