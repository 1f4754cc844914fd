import { route, UnexpectedBody, type Route } from '../../http/route.js';
import type { IbLogRow } from './wire.js';

/** `GET /email/1/logs`: `{results: [...]}`, the last 48 hours only, `limit` at most 1000, no cursor (docs). */
const logsRoute: Route<IbLogRow[]> = route({
  name: 'logs',
  call: 'GET /email/1/logs',
  kind: 'logPage',
  read: (body): IbLogRow[] => {
    const results = (body as { results?: unknown } | null)?.results;
    if (!Array.isArray(results) || !results.every((row) => !!row && typeof row === 'object')) {
      throw new UnexpectedBody('no results array');
    }
    return results as IbLogRow[];
  },
  // Each row is what a lookup by its messageId (`?messageId=&limit=1`) answers.
  primes: (rows) =>
    rows
      .filter((row) => typeof row.messageId === 'string' && row.messageId)
      .map((row) => ({ route: logsRoute, query: { messageId: row.messageId, limit: 1 }, data: [row] })),
});

/** Infobip's one call here (docs/providers/infobip.md). */
export const infobipRoutes = { logs: logsRoute };
