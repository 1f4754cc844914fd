import type { SimulatorOptions } from '../provider.js';
import {
  MinuteWindow,
  bearerToken,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import { migmaDemoData, type MigmaSimulatorData } from './demoData.js';
import {
  MIGMA_CAMPAIGN_STATUSES,
  MIGMA_LIST_MAX_LIMIT,
  MIGMA_LOG_MAX_LIMIT,
  MIGMA_LOG_STATUS_FILTERS,
  type MigmaLogRow,
  type MigmaStats,
} from './wire.js';


export interface MigmaSimulatorOptions {
  apiKey: string;
  port?: number;
  /** Default: {@link migmaDemoData}. */
  data?: MigmaSimulatorData;
  /** Requests per minute per key before 429 (docs: 10 on the free plan to 100 on pro); default 100. */
  rateLimitPerMinute?: number;
}

/**
 * Simulates Migma's campaign endpoints as documented (docs; the list and lookup as the SDK has them), over real
 * HTTP: `GET /v1/campaigns`, `/v1/campaigns/{id}`, `/v1/campaigns/{id}/stats`, `/v1/campaigns/{id}/logs`.
 * Stats are computed from the log rows, with openRate/clickRate on the 0-100 scale the SDK comments
 * describe; campaigns with no log rows have no stats (404).
 */
export function startMigmaSimulator(options: MigmaSimulatorOptions): Promise<RunningSimulator> {
  const data = options.data ?? migmaDemoData();
  const window = new MinuteWindow(options.rateLimitPerMinute ?? 100);
  return serveSimulator(
    (request) => {
      const key = bearerToken(request.headers);
      if (!key) return failure(401, 'Missing API key. Use Authorization: Bearer <key>', 'UNAUTHORIZED');
      if (key !== options.apiKey) return failure(401, 'Invalid API key', 'UNAUTHORIZED');
      const limit = window.hit(key);
      if (!limit.allowed) {
        return { ...failure(429, 'Rate limit exceeded', 'RATE_LIMIT_EXCEEDED'), headers: { 'Retry-After': String(limit.resetSeconds) } };
      }
      return route(request, data);
    },
    { apiKey: options.apiKey, port: options.port },
  );
}

function route(request: SimulatorRequest, data: MigmaSimulatorData): SimulatorResponse {
  const match = /^\/v1\/campaigns(?:\/([^/]+)(?:\/(stats|logs))?)?$/.exec(request.path);
  if (!match) return failure(404, 'Not found', 'NOT_FOUND');
  if (request.method !== 'GET') return failure(405, 'Method not allowed', 'METHOD_NOT_ALLOWED');
  const [, rawId, sub] = match;
  if (rawId === undefined) return listCampaigns(request.query, data);
  const id = decodeURIComponent(rawId);
  const campaign = data.campaigns.find((c) => c.id === id);
  if (!campaign) return failure(404, 'Campaign not found', 'NOT_FOUND');
  if (sub === 'stats') {
    const rows = data.logs[id] ?? [];
    return rows.length ? ok(statsOf(rows)) : failure(404, 'No stats for this campaign yet', 'NOT_FOUND');
  }
  if (sub === 'logs') return campaignLogs(request.query, data.logs[id] ?? []);
  return ok(campaign);
}

function listCampaigns(q: URLSearchParams, data: MigmaSimulatorData): SimulatorResponse {
  const projectId = q.get('projectId');
  if (!projectId) return failure(400, 'projectId is required', 'VALIDATION_ERROR');
  const page = q.has('page') ? Number(q.get('page')) : 1;
  const limit = q.has('limit') ? Number(q.get('limit')) : 20;
  if (!Number.isInteger(page) || page < 1) return failure(400, 'page must be a positive integer', 'VALIDATION_ERROR');
  if (!Number.isInteger(limit) || limit < 1 || limit > MIGMA_LIST_MAX_LIMIT) {
    return failure(400, `limit must be between 1 and ${MIGMA_LIST_MAX_LIMIT}`, 'VALIDATION_ERROR');
  }
  const status = q.get('status');
  if (status !== null && !(MIGMA_CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
    return failure(400, `status must be one of ${MIGMA_CAMPAIGN_STATUSES.join(', ')}`, 'VALIDATION_ERROR');
  }
  const matching = data.campaigns.filter((c) => c.projectId === projectId && (status === null || c.status === status));
  return ok({ campaigns: matching.slice((page - 1) * limit, page * limit), total: matching.length });
}

function campaignLogs(q: URLSearchParams, rows: MigmaLogRow[]): SimulatorResponse {
  const limit = q.has('limit') ? Number(q.get('limit')) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MIGMA_LOG_MAX_LIMIT) {
    return failure(400, `limit must be between 1 and ${MIGMA_LOG_MAX_LIMIT}`, 'VALIDATION_ERROR');
  }
  const status = q.get('status');
  // `complained` is what the SDK sends for spam_report (sdk); both are accepted.
  if (status !== null && status !== 'complained' && !(MIGMA_LOG_STATUS_FILTERS as readonly string[]).includes(status)) {
    return failure(400, `status must be one of ${MIGMA_LOG_STATUS_FILTERS.join(', ')}`, 'VALIDATION_ERROR');
  }
  const rowStatus = status === 'spam_report' ? 'complained' : status;
  const matching = rowStatus === null ? rows : rows.filter((row) => row.status === rowStatus);
  const cursor = q.get('cursor');
  const offset = cursor === null ? 0 : readLogCursor(cursor);
  if (offset === null) return failure(400, 'Invalid cursor', 'INVALID_CURSOR');
  const emails = matching.slice(offset, offset + limit);
  const end = offset + emails.length;
  const hasMore = end < matching.length;
  return ok({ emails, nextCursor: hasMore ? logCursor(end) : null, hasMore });
}

// The simulator's own opaque cursor: base64url of the offset of the next row.
function logCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function readLogCursor(cursor: string): number | null {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** Stats consistent with the rows; openRate/clickRate in percent, as the SDK's comments describe them. */
export function statsOf(rows: MigmaLogRow[]): MigmaStats {
  const delivered = rows.filter((r) => ['delivered', 'opened', 'clicked', 'complained'].includes(r.status)).length;
  const uniqueOpens = rows.filter((r) => r.opened_at).length;
  const uniqueClicks = rows.filter((r) => r.clicked_at).length;
  const totalOpens = rows.reduce((sum, r) => sum + (r.open_count ?? 0), 0);
  const totalClicks = rows.reduce((sum, r) => sum + (r.click_count ?? 0), 0);
  const newest = rows.reduce((max, r) => Math.max(max, Date.parse(r.clicked_at ?? r.opened_at ?? r.created_at)), 0);
  const percent = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0);
  return {
    totalSent: rows.filter((r) => r.status !== 'suppressed').length,
    totalDelivered: delivered,
    uniqueOpens,
    totalOpens,
    uniqueClicks,
    totalClicks,
    unsubscribes: Math.floor(uniqueOpens * 0.04),
    bounces: rows.filter((r) => r.status === 'bounced').length,
    openRate: percent(uniqueOpens, delivered),
    clickRate: percent(uniqueClicks, delivered),
    lastUpdated: new Date(newest + 15 * 60_000).toISOString(),
    botOpens: Math.floor(totalOpens * 0.05),
    botClicks: Math.floor(totalClicks * 0.08),
    mppOpens: Math.floor(uniqueOpens * 0.3),
  };
}

function ok(data: unknown): SimulatorResponse {
  return { status: 200, body: { success: true, data } };
}

function failure(status: number, error: string, code: string): SimulatorResponse {
  return { status, body: { success: false, error, code } };
}

/** Demo mode and tests: enforces the provider's documented quota unless `rateLimitPerMinute` says otherwise. */
export const start = (options: SimulatorOptions): Promise<RunningSimulator> => startMigmaSimulator(options);

/** Demo mode lists the demo project's campaigns. */
export const demoEnv = { MIGMA_PROJECT_ID: 'proj_demo' };
