import type { EmailLogFilterModel } from '../domain/emailLog.js';
import { BadUserInputError } from '../errors.js';
import type { LogWalkPosition } from '../providers/infobip/logWalk.js';
import type { InfobipSession } from '../providers/infobip/session.js';
import { decodeCursor, encodeCursor } from '../relay/cursor.js';
import type { EmailLogConnectionModel } from '../resolvers/mappers.js';

/** A cursor's position: the last row's sentAt (epoch ms) and the messageIds returned at that instant. */
type Position = [at: number, seen: string[]];

/**
 * A page of Infobip email logs as a connection. `connection` names the field (`emailLogs`,
 * `Campaign.emailLogs`); the filter is the cursor's scope, so a cursor works only with the same one.
 */
export async function emailLogConnection(
  args: { connection: string; filter: EmailLogFilterModel; first: number; after: string | null },
  session: InfobipSession,
): Promise<EmailLogConnectionModel> {
  const scope = args.filter;
  const after = args.after != null ? readPosition(decodeCursor<unknown>(args.after, args.connection, scope)) : null;
  const page = await session.emailLogs({ filter: args.filter, count: args.first, after });
  const cursorOf = (index: number) => {
    const position = page.positionAfter(index);
    return encodeCursor(args.connection, scope, [position.at, position.seen] satisfies Position);
  };
  const edges = page.logs.map((node, index) => ({ node, cursor: () => cursorOf(index) }));
  return {
    edges,
    pageInfo: {
      hasNextPage: page.hasMore,
      hasPreviousPage: args.after != null,
      startCursor: edges.length ? cursorOf(0) : null,
      endCursor: edges.length ? cursorOf(edges.length - 1) : null,
    },
    totalCount: null,
  };
}

function readPosition(value: unknown): LogWalkPosition {
  if (
    Array.isArray(value) &&
    value.length === 2 &&
    Number.isFinite(value[0]) &&
    Array.isArray(value[1]) &&
    value[1].every((id: unknown) => typeof id === 'string')
  ) {
    return { at: value[0] as number, seen: value[1] as string[] };
  }
  throw new BadUserInputError('`after` is not a cursor this gateway issued', { argument: 'after' });
}
