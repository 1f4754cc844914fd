import { PROVIDERS, type ProviderName } from '../domain/campaign.js';
import { BadUserInputError } from '../errors.js';
import { decodeGlobalId, encodeGlobalId } from '../relay/globalId.js';
import { ARGUMENT_LIMITS, checkLength } from './argumentLimits.js';

/** The GraphQL types that implement Node. */
export type NodeType = 'Campaign' | 'SendLog' | 'EmailLog';
const NODE_TYPES: readonly string[] = ['Campaign', 'SendLog', 'EmailLog'];

export interface NodeRef {
  type: NodeType;
  provider: ProviderName;
  providerId: string;
}

export function nodeId(type: NodeType, provider: ProviderName, providerId: string): string {
  return encodeGlobalId(type, provider, providerId);
}

/**
 * Reads a global id; with `expected`, only an id of that type is accepted.
 * @throws BadUserInputError for a garbage id or one of another type.
 */
export function parseNodeId(id: string, expected?: NodeType): NodeRef {
  const parts = decodeGlobalId(checkLength(id, ARGUMENT_LIMITS.globalId, 'id'));
  if (!NODE_TYPES.includes(parts.type) || !(PROVIDERS as readonly string[]).includes(parts.namespace)) {
    throw new BadUserInputError(`"${id}" is not a valid id`, { argument: 'id' });
  }
  if (expected && parts.type !== expected) {
    throw new BadUserInputError(`"${id}" is the id of a ${parts.type}, not of a ${expected}`, { argument: 'id' });
  }
  return { type: parts.type as NodeType, provider: parts.namespace as ProviderName, providerId: parts.localId };
}

/**
 * The key fields of a federation representation, checked: `_Any` is any JSON, whatever the
 * generated reference types say.
 * @throws BadUserInputError (argument `representations`) when one is missing or not a string.
 */
export function representationKeys<K extends string>(type: NodeType, reference: object, ...keys: K[]): Record<K, string> {
  const values = reference as Record<string, unknown>;
  for (const key of keys) {
    if (typeof values[key] !== 'string') {
      throw new BadUserInputError(`A ${type} representation needs \`${key}\` as a string`, { argument: 'representations' });
    }
  }
  return values as Record<K, string>;
}
