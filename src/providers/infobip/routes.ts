import { route, UnexpectedBody } from '../../http/route.js';
import type { IbLogRow } from './wire.js';

/** Infobip's one call here (docs/providers/infobip.md). */
export const infobipRoutes = {
  /** `GET /email/1/logs`: `{results: [...]}`, the last 48 hours only, `limit` at most 1000, no cursor (docs). */
  logs: route({
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
  }),
};
