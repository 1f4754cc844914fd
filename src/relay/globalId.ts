import { BadUserInputError } from '../errors.js';

/** The three parts of a global id: the GraphQL type, a namespace (the provider) and the local id. */
export interface GlobalIdParts {
  type: string;
  namespace: string;
  localId: string;
}

/**
 * Encodes a global id: base64url of `type:namespace:localId`. Opaque to clients; stable across
 * processes and restarts, so ids can be stored and federated.
 */
export function encodeGlobalId(type: string, namespace: string, localId: string): string {
  return Buffer.from(`${type}:${namespace}:${localId}`, 'utf8').toString('base64url');
}

/**
 * Decodes a global id made by {@link encodeGlobalId}.
 * @throws BadUserInputError when the id is not one this gateway issued.
 */
export function decodeGlobalId(id: string): GlobalIdParts {
  const invalid = () => new BadUserInputError(`"${truncate(id)}" is not a valid id`, { argument: 'id' });
  if (!/^[A-Za-z0-9_-]+$/.test(id)) throw invalid();
  const text = Buffer.from(id, 'base64url').toString('utf8');
  // Round-trip check: rejects ids that only decode by accident.
  if (Buffer.from(text, 'utf8').toString('base64url') !== id) throw invalid();
  const first = text.indexOf(':');
  const second = first < 0 ? -1 : text.indexOf(':', first + 1);
  if (first <= 0 || second <= first + 1 || second === text.length - 1) throw invalid();
  return { type: text.slice(0, first), namespace: text.slice(first + 1, second), localId: text.slice(second + 1) };
}

function truncate(value: string): string {
  return value.length > 64 ? `${value.slice(0, 61)}...` : value;
}
