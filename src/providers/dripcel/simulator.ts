import type { SimulatorOptions } from '../provider.js';
import {
  MinuteWindow,
  bearerToken,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import { dripcelDemoData, type DripcelDemoData, type SimulatedSendLog } from './demoData.js';
import { DRIPCEL_SEARCH_PAGE, type DripcelSendLog } from './wire.js';


export interface DripcelSimulatorOptions {
  apiKey: string;
  port?: number;
  /** Default: {@link dripcelDemoData}. */
  data?: DripcelDemoData;
  /** Requests per minute per organisation (key) before 429 (docs: about 50). */
  rateLimitPerMinute?: number;
  /** Silently return at most this many rows per search, whatever `limit` says (no maximum is documented). */
  maxSearchRows?: number;
}

/**
 * Simulates Dripcel's send-log and campaign endpoints over real HTTP: `POST /send-logs/search`
 * (find.campaign_id array, find.startDeliveryAt $gte/$lte, skip/limit, total, parsed echo, newest
 * first), `GET /send-logs/:send_id` (group_destinations=count|list), `GET /campaigns` and
 * `GET /campaigns/:campaign_id`, bearer auth and both error shapes (text for auth and rate limit,
 * `{code, message}` for the rest).
 */
export function startDripcelSimulator(options: DripcelSimulatorOptions): Promise<RunningSimulator> {
  const data = options.data ?? dripcelDemoData();
  const window = new MinuteWindow(options.rateLimitPerMinute ?? 50);
  return serveSimulator(
    (request) => {
      const key = bearerToken(request.headers);
      if (!key || key !== options.apiKey) return { status: 401, body: { ok: false, error: 'Unauthorized: invalid or missing API key' } };
      if (!window.hit(key).allowed) return { status: 429, body: { ok: false, error: 'Too many requests, please slow down' } };
      return route(request, data, options.maxSearchRows ?? Infinity);
    },
    { apiKey: options.apiKey, port: options.port },
  );
}

function route(request: SimulatorRequest, data: DripcelDemoData, maxSearchRows: number): SimulatorResponse {
  const { method, path } = request;
  if (path === '/send-logs/search') {
    return method === 'POST' ? search(request.body, data, maxSearchRows) : failure(405, 'method_not_allowed', 'Use POST');
  }
  const sendLog = /^\/send-logs\/([^/]+)$/.exec(path);
  if (sendLog) {
    if (method !== 'GET') return failure(405, 'method_not_allowed', 'Use GET');
    const group = request.query.get('group_destinations') ?? 'count';
    if (group !== 'count' && group !== 'list') return failure(400, 'validation_error', 'group_destinations must be count or list');
    const log = data.sendLogs.find((l) => l._id === decodeURIComponent(sendLog[1]!));
    return log ? ok(wireLog(log, group)) : failure(404, 'resource_not_found', 'Send log not found');
  }
  if (path === '/campaigns') return method === 'GET' ? ok(data.campaigns) : failure(405, 'method_not_allowed', 'Use GET');
  const campaign = /^\/campaigns\/([^/]+)$/.exec(path);
  if (campaign) {
    if (method !== 'GET') return failure(405, 'method_not_allowed', 'Use GET');
    const found = data.campaigns.find((c) => c._id === decodeURIComponent(campaign[1]!));
    return found ? ok(found) : failure(404, 'resource_not_found', 'Campaign not found');
  }
  return failure(404, 'route_not_found', `No route for ${method} ${path}`);
}

function search(body: unknown, data: DripcelDemoData, maxSearchRows: number): SimulatorResponse {
  const input = (body ?? {}) as { find?: unknown; options?: { skip?: unknown; limit?: unknown } };
  if (!input.find || typeof input.find !== 'object' || Array.isArray(input.find)) {
    return failure(400, 'validation_error', '"find" is required and must be an object');
  }
  const find = input.find as { campaign_id?: unknown; startDeliveryAt?: unknown };
  const ids = find.campaign_id;
  if (ids !== undefined && !(Array.isArray(ids) && ids.every((id) => typeof id === 'string'))) {
    return failure(400, 'validation_error', '"find.campaign_id" must be an array of strings');
  }
  const range = (find.startDeliveryAt ?? {}) as { $gte?: unknown; $lte?: unknown };
  const bound = (value: unknown) => (value === undefined ? null : typeof value === 'string' ? Date.parse(value) : NaN);
  const from = bound(range.$gte);
  const to = bound(range.$lte);
  if (Number.isNaN(from) || Number.isNaN(to)) {
    return failure(400, 'validation_error', '"find.startDeliveryAt" bounds must be ISO date strings');
  }
  const skip = input.options?.skip ?? 0;
  const limit = input.options?.limit ?? DRIPCEL_SEARCH_PAGE;
  if (!Number.isInteger(skip) || (skip as number) < 0 || !Number.isInteger(limit) || (limit as number) < 0) {
    return failure(400, 'validation_error', '"options.skip" and "options.limit" must be non-negative integers');
  }
  const matching = data.sendLogs.filter((log) => {
    const at = Date.parse(log.startDeliveryAt);
    return (
      (ids === undefined || (ids as string[]).includes(log.campaign_id)) &&
      (from === null || at >= from) &&
      (to === null || at <= to)
    );
  });
  const rows = Math.min((limit as number) || DRIPCEL_SEARCH_PAGE, maxSearchRows);
  return ok({
    total: matching.length,
    send_logs: matching.slice(skip as number, (skip as number) + rows).map((log) => wireLog(log, 'count')),
    parsed: { find: { ...find, ...(ids ? { campaign_id: { $in: ids } } : {}) }, options: { skip, limit } },
  });
}

function wireLog(log: SimulatedSendLog, group: 'count' | 'list'): DripcelSendLog {
  return { ...log, destinations: group === 'list' ? [...log.destinations] : log.destinations.length };
}

function ok(data: unknown): SimulatorResponse {
  return { status: 200, body: { ok: true, data } };
}

function failure(status: number, code: string, message: string): SimulatorResponse {
  return { status, body: { ok: false, error: { code, message } } };
}

/** Demo mode and tests: enforces the provider's documented quota unless `rateLimitPerMinute` says otherwise. */
export const start = (options: SimulatorOptions): Promise<RunningSimulator> => startDripcelSimulator(options);
