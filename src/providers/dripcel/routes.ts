import { NOT_FOUND, route, UnexpectedBody, type Route } from '../../http/route.js';
import type { UpstreamErrorInfo } from '../../http/upstreamClient.js';
import { RESOURCE_NOT_FOUND, type DripcelCampaign, type DripcelEnvelope, type DripcelSearchResult, type DripcelSendLog } from './wire.js';

/** Dripcel's four calls (docs/providers/dripcel.md); each answer is the data of an `{ok, data}` envelope. */
const sendLogRoute: Route<DripcelSendLog> = route({
  name: 'sendLog',
  call: 'GET /send-logs/:id',
  kind: 'logItem',
  notFoundAsNull: true,
  read: (data): DripcelSendLog => {
    if (!isSendLog(data)) throw new UnexpectedBody('the send log has no _id');
    return data;
  },
});

const campaignRoute: Route<DripcelCampaign> = route({
  name: 'campaign',
  call: 'GET /campaigns/:id',
  kind: 'campaign',
  notFoundAsNull: true,
  read: (data): DripcelCampaign => {
    if (!isCampaign(data)) throw new UnexpectedBody('the campaign has no _id');
    return data;
  },
});

export const dripcelRoutes = {
  /** `{find, options: {skip, limit}}`: a page of matching logs and how many match in all. A read: safe to repeat. */
  searchSendLogs: route({
    name: 'searchSendLogs',
    call: 'POST /send-logs/search',
    kind: 'logPage',
    idempotent: true,
    read: (data): DripcelSearchResult => {
      const result = data as { total?: unknown; send_logs?: unknown } | null;
      if (!result || typeof result !== 'object' || !Array.isArray(result.send_logs) || !result.send_logs.every(isSendLog)) {
        throw new UnexpectedBody('the search answer has no send_logs array');
      }
      return { total: typeof result.total === 'number' ? result.total : null, send_logs: result.send_logs };
    },
    // Search rows are the default (count) form of each log's own lookup.
    primes: (result) =>
      result.send_logs
        .filter((log) => typeof log.destinations === 'number')
        .map((log) => ({ route: sendLogRoute, params: { id: log._id }, query: { group_destinations: 'count' }, data: log })),
  }),
  /** `?group_destinations=count|list`. */
  sendLog: sendLogRoute,
  /** Every campaign in one answer (the body and any paging are unpublished: a guess). */
  listCampaigns: route({
    name: 'listCampaigns',
    call: 'GET /campaigns',
    kind: 'campaignList',
    read: (data): DripcelCampaign[] => {
      if (!Array.isArray(data) || !data.every(isCampaign)) throw new UnexpectedBody('the campaign list has no data array');
      return data;
    },
    primes: (list) => list.map((campaign) => ({ route: campaignRoute, params: { id: campaign._id }, data: campaign })),
  }),
  campaign: campaignRoute,
};

/** Reads `{ok: false, error}` where `error` is text or `{code, message}` (both seen, docs). */
export function readDripcelError(body: unknown): UpstreamErrorInfo {
  if (typeof body === 'string') return { message: body };
  const error = (body as { error?: unknown } | null)?.error;
  if (typeof error === 'string') return { message: error };
  if (error && typeof error === 'object') {
    const { code, message } = error as { code?: unknown; message?: unknown };
    return {
      code: typeof code === 'string' ? code : undefined,
      message: typeof message === 'string' ? message : typeof code === 'string' ? code : undefined,
    };
  }
  return {};
}

/**
 * The data of `{ok: true, data}`. A 200 saying `ok: false` is a failure too, except
 * `resource_not_found` on a single lookup, which means "no such object" like a 404.
 */
export function unwrapDripcelEnvelope(body: unknown, route: Route): unknown {
  const envelope = body as DripcelEnvelope<unknown>;
  if (!envelope || typeof envelope !== 'object' || typeof envelope.ok !== 'boolean') throw new UnexpectedBody('the body has no `ok` field');
  if (!envelope.ok) {
    const info = readDripcelError(envelope);
    if (route.notFoundAsNull && info.code === RESOURCE_NOT_FOUND) return NOT_FOUND;
    throw new UnexpectedBody(`ok is false${info.message ? `: ${info.message}` : ''}`, info.code);
  }
  if (envelope.data === undefined) throw new UnexpectedBody('the body has no `data`');
  return envelope.data;
}

function isSendLog(value: unknown): value is DripcelSendLog {
  return !!value && typeof value === 'object' && typeof (value as DripcelSendLog)._id === 'string';
}

function isCampaign(value: unknown): value is DripcelCampaign {
  return !!value && typeof value === 'object' && typeof (value as DripcelCampaign)._id === 'string';
}
