import {
  MinuteWindow,
  bearerToken,
  seededRandom,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import { DRIPCEL_SEARCH_PAGE, type DripcelCampaign, type DripcelSendLog } from './wire.js';

/** A simulated send log: `destinations` is the list; the API answers its length unless asked for the list. */
export interface SimulatedSendLog extends Omit<DripcelSendLog, 'destinations'> {
  campaign_id: string;
  startDeliveryAt: string;
  destinations: string[];
}

export interface DripcelDemoData {
  /** In `GET /campaigns` order. */
  campaigns: DripcelCampaign[];
  /** Newest first by startDeliveryAt, the order searches answer in. */
  sendLogs: SimulatedSendLog[];
}

export interface DripcelSimulatorOptions {
  apiKey: string;
  port?: number;
  /** Default: {@link dripcelDemoData}. */
  data?: DripcelDemoData;
  /** Requests per minute per organisation (key) before 429 (NOTES.md: about 50). */
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

const CAMPAIGNS: Array<{ name: string; logs: number; status?: string; active?: boolean; bulk: boolean }> = [
  { name: 'Appointment reminders', logs: 160, active: true, bulk: false },
  { name: 'Black Friday flash sale', logs: 24, status: 'completed', bulk: true },
  { name: 'Loyalty points expiry', logs: 12, status: 'active', active: true, bulk: true },
  { name: 'Welcome series', logs: 7, active: true, bulk: false },
  { name: 'Payment due notice', logs: 3, active: false, bulk: true },
  { name: 'Winter data bundles', logs: 0, status: 'draft', bulk: true },
  { name: 'Customer survey follow-up', logs: 45, status: 'paused', active: false, bulk: true },
  { name: 'Store opening: Sandton', logs: 9, status: 'completed', active: false, bulk: true },
];

const MESSAGES = [
  'Hi {{contact.firstname}}, this is a reminder of your appointment tomorrow. Reply STOP to opt out.',
  'FLASH SALE: up to 50% off today only at {{shop.url}}. Reply STOP to opt out.',
  'Hi {{contact.firstname}}, your {{contact.points}} loyalty points expire soon. Use them at any store.',
  'Welcome to the club, {{contact.firstname}}! Save this number for exclusive offers.',
  'Your account is due for payment on the 25th. Pay at {{pay.url}} to avoid interruption.',
];

const PREFIXES = ['82', '83', '72', '73', '84', '61', '71', '76', '79', '60'];

/**
 * Eight campaigns with 0 to 160 send logs (260 in all), newest first: bulk sends reach 20-400 cell
 * numbers, triggered ones one to three. Ids are 24-hex ObjectIds, cell numbers South African (27...).
 */
export function dripcelDemoData(): DripcelDemoData {
  const random = seededRandom(0xd41bce1);
  const objectId = (seconds: number) =>
    Math.floor(seconds).toString(16).padStart(8, '0') +
    Array.from({ length: 16 }, () => Math.floor(random() * 16).toString(16)).join('');
  const start = Date.parse('2026-01-05T07:00:00.000Z');
  const campaigns: DripcelCampaign[] = [];
  const sendLogs: SimulatedSendLog[] = [];
  CAMPAIGNS.forEach((spec, c) => {
    const created = start + c * 9 * 86_400_000 + Math.floor(random() * 36e5);
    const campaign: DripcelCampaign = { _id: objectId(created / 1000), name: spec.name, createdAt: new Date(created).toISOString() };
    if (spec.status !== undefined) campaign.status = spec.status;
    if (spec.active !== undefined) campaign.active = spec.active;
    campaign.updatedAt = new Date(created + 86_400_000 * (1 + c)).toISOString();
    campaigns.push(campaign);
    for (let i = 0; i < spec.logs; i++) {
      const at = created + 3_600_000 + i * (spec.bulk ? 2 : 0.5) * 86_400_000 + Math.floor(random() * 8 * 3_600_000);
      const size = spec.bulk ? 20 + Math.floor(random() * 380) : 1 + Math.floor(random() * 3);
      const destinations = Array.from(
        { length: size },
        () => `27${PREFIXES[Math.floor(random() * PREFIXES.length)]}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
      );
      sendLogs.push({
        _id: objectId(at / 1000),
        campaign_id: campaign._id!,
        message: MESSAGES[c % MESSAGES.length]!,
        triggeredBy: spec.bulk ? (i % 4 === 0 ? 'schedule' : 'send') : i % 2 === 0 ? 'api' : 'trigger',
        startDeliveryAt: new Date(at).toISOString(),
        destinations,
      });
    }
  });
  sendLogs.sort((a, b) => b.startDeliveryAt.localeCompare(a.startDeliveryAt) || b._id.localeCompare(a._id));
  return { campaigns, sendLogs };
}
