import { parseProviderDate } from '../wireValues.js';
import type { SimulatorOptions } from '../provider.js';
import {
  MinuteWindow,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import { infobipDemoLogs, type SimulatedEmailLog } from './demoData.js';
import { IB_LOG_RETENTION_MS, IB_MAX_LIMIT, type IbErrorBody, type IbLegacyErrorBody, type IbLogRow } from './wire.js';


export interface InfobipSimulatorOptions {
  apiKey: string;
  port?: number;
  /** The logs held, in any order; default {@link infobipDemoLogs} relative to start-up. */
  logs?: SimulatedEmailLog[];
  /** Requests per minute per key before 429 (docs: 60). */
  rateLimitPerMinute?: number;
  /** Whether `sentUntil` excludes its own instant; undocumented, so tests try both (default inclusive). */
  sentUntilExclusive?: boolean;
  /** The simulator's clock (the 48-hour window is relative to it); default Date.now. */
  now?: () => number;
}

/**
 * Simulates Infobip's `GET /email/1/logs` as documented, over real HTTP: `Authorization: App <key>`,
 * every filter, `limit` at most 1000, newest first, the last 48 hours only, 60 requests a minute.
 * 401 answers with the legacy error body, 400 and 429 with the newer one (both are documented).
 */
export function startInfobipSimulator(options: InfobipSimulatorOptions): Promise<RunningSimulator> {
  const now = options.now ?? Date.now;
  const logs = (options.logs ?? infobipDemoLogs(now()))
    .map((log, index) => ({ ...log, index, time: parseProviderDate(log.row.sentAt)?.getTime() ?? NaN }))
    // Newest first; rows sharing an instant keep one stable order.
    .sort((a, b) => b.time - a.time || a.index - b.index);
  const window = new MinuteWindow(options.rateLimitPerMinute ?? 60);

  return serveSimulator(
    (request) => {
      const match = /^App\s+(.+)$/i.exec(typeof request.headers.authorization === 'string' ? request.headers.authorization : '');
      if (!match || match[1]!.trim() !== options.apiKey) {
        return { status: 401, body: legacyError('UNAUTHORIZED', 'Invalid login details') };
      }
      if (!window.hit(options.apiKey).allowed) {
        return { status: 429, body: newerError('E429', 'Too many requests', 'Reduce the request rate and try again later.') };
      }
      return route(request, logs, now(), options.sentUntilExclusive ?? false);
    },
    { apiKey: options.apiKey, port: options.port },
  );
}

const FILTERS = ['messageId', 'from', 'to', 'bulkId', 'applicationId', 'entityId'] as const;

function route(
  request: SimulatorRequest,
  logs: Array<SimulatedEmailLog & { time: number }>,
  now: number,
  sentUntilExclusive: boolean,
): SimulatorResponse {
  if (request.path !== '/email/1/logs') return { status: 404, body: newerError('E404', 'Not found') };
  if (request.method !== 'GET') return { status: 405, body: newerError('E405', 'Method not allowed') };
  const q = request.query;
  // No default limit is documented; 1000 is a guess.
  const limit = q.has('limit') ? Number(q.get('limit')) : IB_MAX_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > IB_MAX_LIMIT) {
    return { status: 400, body: newerError('E400', 'Bad request', undefined, [{ property: 'limit', violation: `must be between 1 and ${IB_MAX_LIMIT}` }]) };
  }
  const bounds: Record<'sentSince' | 'sentUntil', number | null> = { sentSince: null, sentUntil: null };
  for (const name of ['sentSince', 'sentUntil'] as const) {
    const value = q.get(name);
    if (value === null) continue;
    const date = parseProviderDate(value);
    if (!date) {
      return { status: 400, body: newerError('E400', 'Bad request', undefined, [{ property: name, violation: 'must be a date-time' }]) };
    }
    bounds[name] = date.getTime();
  }
  const oldest = now - IB_LOG_RETENTION_MS;
  const reference = q.get('campaignReferenceId');
  const generalStatus = q.get('generalStatus')?.toUpperCase() ?? null;
  const results: IbLogRow[] = [];
  for (const log of logs) {
    if (results.length >= limit) break;
    if (!(log.time >= oldest) || log.time > now) continue;
    if (bounds.sentSince !== null && log.time < bounds.sentSince) continue;
    if (bounds.sentUntil !== null && (sentUntilExclusive ? log.time >= bounds.sentUntil : log.time > bounds.sentUntil)) continue;
    if (reference !== null && log.campaignReferenceId !== reference) continue;
    if (generalStatus !== null && log.row.status?.groupName?.toUpperCase() !== generalStatus) continue;
    if (FILTERS.some((name) => q.has(name) && log.row[name] !== q.get(name))) continue;
    results.push(log.row);
  }
  return { status: 200, body: { results } };
}

function newerError(errorCode: string, description: string, action?: string, violations: IbErrorBody['violations'] = []): IbErrorBody {
  return { errorCode, description, action: action ?? '', violations, resources: [] };
}

function legacyError(messageId: string, text: string): IbLegacyErrorBody {
  return { requestError: { serviceException: { messageId, text } } };
}

/** Demo mode and tests: enforces the provider's documented quota unless `rateLimitPerMinute` says otherwise. */
export const start = (options: SimulatorOptions): Promise<RunningSimulator> => startInfobipSimulator(options);
