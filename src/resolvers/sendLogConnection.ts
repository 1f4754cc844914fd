import type { SendLogModel, SendLogWindow } from '../domain/sendLog.js';
import { BadUserInputError } from '../errors.js';
import { buildConnection, type Connection } from '../relay/connection.js';
import { decodeCursor, encodeCursor } from '../relay/cursor.js';

/** Where a send-log cursor resumes: the offset in its list (Dripcel's `options.skip`). */
export function sendLogOffset(after: string | null | undefined, connection: string, scope: unknown): number {
  if (after == null) return 0;
  const offset = decodeCursor<unknown>(after, connection, scope);
  if (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0) {
    throw new BadUserInputError('`after` is not a cursor this gateway issued', { argument: 'after' });
  }
  return offset;
}

/** A send-log connection from a window read at `offset`; each cursor is the offset right after its log. */
export function sendLogConnection(
  window: SendLogWindow,
  offset: number,
  connection: string,
  scope: unknown,
  after: string | null | undefined,
): Connection<SendLogModel> {
  return buildConnection({
    nodes: window.logs,
    cursorOf: (_, index) => encodeCursor(connection, scope, offset + index + 1),
    hasNextPage: window.hasMore,
    hasPreviousPage: after != null,
    totalCount: window.total,
  });
}
