import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { BadUserInputError } from '../errors.js';

const VERSION = 1;
/** Public (it is in this source): it keeps cursors stable across instances, not unforgeable. */
export const DEFAULT_CURSOR_SECRET = 'campaign-graph/cursor/v1';
let secret = DEFAULT_CURSOR_SECRET;

/**
 * Sets the key cursors are signed with (CURSOR_SECRET; null for the default). Every instance
 * behind one endpoint needs the same key; the built-in default already is, so set it to stop
 * clients forging cursors. One key per process: the last gateway created sets it.
 */
export function setCursorSecret(value: string | null): void {
  secret = value ?? DEFAULT_CURSOR_SECRET;
}

/**
 * Makes an opaque cursor for a position in one connection.
 *
 * @param connection names the connection that issues the cursor (`campaigns`, `Campaign.recipientLogs`).
 * @param scope everything else that defines the list: filter, parent id. A cursor presented with
 *   another connection or scope is rejected, so it "works only on the connection that issued it".
 * @param position connection-specific JSON state, returned as-is by {@link decodeCursor}.
 */
export function encodeCursor(connection: string, scope: unknown, position: unknown): string {
  const body = Buffer.from(JSON.stringify([VERSION, connection, scopeHash(scope), position]), 'utf8').toString(
    'base64url',
  );
  return `${body}.${sign(body)}`;
}

/**
 * Reads a cursor made by {@link encodeCursor} for the same connection and scope.
 * @throws BadUserInputError when the cursor is garbage, tampered with, or issued by another connection or scope.
 */
export function decodeCursor<P = unknown>(cursor: string, connection: string, scope: unknown): P {
  const dot = cursor.lastIndexOf('.');
  const body = dot > 0 ? cursor.slice(0, dot) : '';
  const signature = dot > 0 ? cursor.slice(dot + 1) : '';
  const given = Buffer.from(signature);
  const expected = Buffer.from(sign(body));
  // Bytes, not characters: a signature of 16 characters, one of them not ASCII, is longer than 16 bytes.
  if (!body || given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new BadUserInputError('`after` is not a cursor this gateway issued', { argument: 'after' });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
  } catch {
    throw new BadUserInputError('`after` is not a cursor this gateway issued', { argument: 'after' });
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || parsed[0] !== VERSION) {
    throw new BadUserInputError('`after` is a cursor from an older version of the gateway; start again without it', {
      argument: 'after',
    });
  }
  if (parsed[1] !== connection) {
    // A signed body can hold anything (the default key is public): name its connection only when it is one.
    const issuer = typeof parsed[1] === 'string' && parsed[1].length <= 64 ? parsed[1] : 'another connection';
    throw new BadUserInputError(`\`after\` is a cursor of ${issuer}, not of ${connection}`, {
      argument: 'after',
    });
  }
  if (parsed[2] !== scopeHash(scope)) {
    throw new BadUserInputError(
      `\`after\` was issued for ${connection} with other arguments (filter or parent); use it with the same ones`,
      { argument: 'after' },
    );
  }
  return parsed[3] as P;
}

function sign(body: string): string {
  return createHmac('sha256', secret).update(body).digest('base64url').slice(0, 16);
}

function scopeHash(scope: unknown): string {
  return createHash('sha256').update(stableStringify(scope)).digest('base64url').slice(0, 10);
}

/** JSON with object keys sorted, so equal scopes hash equally whatever order their keys came in. */
function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && v !== null)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
