/**
 * Paging Infobip's email logs, which have no cursor, page or offset: only `limit` (at most 1000)
 * and a `sentSince`/`sentUntil` window (docs). The walk goes back in time: each request ends the
 * window at the last instant already returned and drops what was already returned.
 *
 * Assumptions (docs/providers/infobip.md): rows come newest first (guess); whether `sentUntil` is inclusive is not
 * documented, so the walk asks for `sentUntil = last instant + 1 ms` and drops every row newer than
 * that instant: correct either way. Rows sharing the last instant (ties) are told apart by the
 * messageIds already returned at that instant, which the position carries; their order among
 * themselves may even differ between requests.
 *
 * Limit: a request returns at most 1000 rows, so an instant can be paged through only while the
 * rows already returned at it (plus rows at the next millisecond) stay below 1000. Past that the
 * walk stops with {@link TieOverflowError}.
 */
import type { EmailLogModel } from '../../domain/emailLog.js';
import { IB_MAX_LIMIT } from './wire.js';

/** Where a walk resumes: the sentAt (epoch ms) of the last row returned and the messageIds returned at that instant. */
export interface LogWalkPosition {
  at: number;
  seen: string[];
}

export interface LogPageRequest {
  /** End of the window to ask for; null for "now". */
  sentUntil: Date | null;
  limit: number;
}

export interface LogPage {
  /** Readable rows, in the API's order. */
  logs: EmailLogModel[];
  /** How many rows the API sent (unreadable ones included): a page of `limit` rows may have more behind it. */
  received: number;
}

export interface LogWalkResult {
  logs: EmailLogModel[];
  /** The position right after `logs[index]`: a cursor resumes there. */
  positionAfter(index: number): LogWalkPosition;
  hasMore: boolean;
}

/** More rows share one sentAt than one request of 1000 can page through. */
export class TieOverflowError extends Error {
  override readonly name = 'TieOverflowError';
  constructor(readonly at: Date) {
    super(
      `more email logs share sentAt ${at.toISOString()} than Infobip's logs can be paged through ` +
        `(at most ${IB_MAX_LIMIT} rows per request, no cursor); narrow the filter (bulkId, to, generalStatus) to see the rest`,
    );
  }
}

/**
 * Reads up to `count` rows after `from` (Infinity: all), newest first, each exactly once.
 * @param until the caller's own `sentUntil`, combined with the walk's (the earlier wins).
 * @param fetchPage one upstream request.
 */
export async function walkLogs(options: {
  count: number;
  from: LogWalkPosition | null;
  until: Date | null;
  fetchPage: (request: LogPageRequest) => Promise<LogPage>;
}): Promise<LogWalkResult> {
  const { count, until, fetchPage } = options;
  const logs: EmailLogModel[] = [];
  let at = options.from?.at ?? null;
  let seen = new Set(options.from?.seen ?? []);
  /** Rows to take beyond the seen ones: what is still wanted plus one look-ahead row. */
  const need = () => count - logs.length + 1;
  let limit = Math.min(IB_MAX_LIMIT, need() + seen.size);

  for (;;) {
    const walkUntil = at === null ? null : at + 1;
    const sentUntil =
      until === null ? walkUntil : walkUntil === null ? until.getTime() : Math.min(until.getTime(), walkUntil);
    const page = await fetchPage({ sentUntil: sentUntil === null ? null : new Date(sentUntil), limit });
    const fresh = page.logs.filter((log) => {
      const time = log.sentAt!.getTime();
      return at === null || time < at || (time === at && !seen.has(log.messageId));
    });
    const full = page.received >= limit;

    if (fresh.length === 0) {
      if (!full) return result(logs, options.from, false);
      if (limit >= IB_MAX_LIMIT) {
        // Only rows already returned fit in 1000: what follows the instant cannot be reached.
        if (logs.length >= count) return result(logs, options.from, true);
        throw new TieOverflowError(new Date(at!));
      }
      limit = Math.min(IB_MAX_LIMIT, Math.max(limit * 2, page.received + need()));
      continue;
    }
    for (const log of fresh) {
      if (logs.length >= count) return result(logs, options.from, true);
      const time = log.sentAt!.getTime();
      if (time !== at) {
        at = time;
        seen = new Set();
      }
      seen.add(log.messageId);
      logs.push(log);
    }
    if (!full) return result(logs, options.from, false);
    limit = Math.min(IB_MAX_LIMIT, need() + seen.size);
  }
}

function result(logs: EmailLogModel[], from: LogWalkPosition | null, hasMore: boolean): LogWalkResult {
  // Where the run of rows sharing each row's instant starts, so positions are built only when asked for.
  const runStart: number[] = [];
  logs.forEach((log, i) => {
    runStart.push(i > 0 && logs[i - 1]!.sentAt!.getTime() === log.sentAt!.getTime() ? runStart[i - 1]! : i);
  });
  return {
    logs,
    hasMore,
    positionAfter(index) {
      const log = logs[index]!;
      const at = log.sentAt!.getTime();
      const start = runStart[index]!;
      const carried = start === 0 && from?.at === at ? from.seen : [];
      return { at, seen: [...carried, ...logs.slice(start, index + 1).map((l) => l.messageId)] };
    },
  };
}
