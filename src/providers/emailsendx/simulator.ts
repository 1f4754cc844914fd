import type { SimulatorOptions } from '../provider.js';
import {
  MinuteWindow,
  bearerToken,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import { emailSendXDemoCampaigns } from './demoData.js';
import { ESX_MAX_LIMIT, ESX_STATUSES, type EsxCampaign } from './wire.js';

export interface EmailSendXSimulatorOptions {
  apiKey: string;
  port?: number;
  /** The campaigns served, in list order; default: {@link emailSendXDemoCampaigns}. */
  campaigns?: EsxCampaign[];
  /** Requests per minute per key before 429 (docs: 120). */
  rateLimitPerMinute?: number;
  /** Whether list items carry `stats` (the published example does; the text says only `?id=`). */
  statsInList?: boolean;
}

/** Simulates `GET /api/v1/campaigns` of EmailSendX as documented, over real HTTP. */
export function startEmailSendXSimulator(options: EmailSendXSimulatorOptions): Promise<RunningSimulator> {
  const campaigns = options.campaigns ?? emailSendXDemoCampaigns();
  const window = new MinuteWindow(options.rateLimitPerMinute ?? 120);
  const statsInList = options.statsInList ?? true;

  return serveSimulator(
    (request) => {
      const key = bearerToken(request.headers) ?? headerValue(request, 'x-api-key');
      if (!key) return { status: 401, body: { error: 'Missing API key' } };
      if (key !== options.apiKey) return { status: 401, body: { error: 'Invalid API key' } };
      const limit = window.hit(key);
      const rateHeaders = {
        'X-RateLimit-Limit': String(window.limit),
        'X-RateLimit-Remaining': String(limit.remaining),
        'X-RateLimit-Reset': String(limit.resetSeconds),
      };
      if (!limit.allowed) {
        return {
          status: 429,
          body: { error: 'Rate limit exceeded' },
          headers: { ...rateHeaders, 'Retry-After': String(limit.resetSeconds) },
        };
      }
      return { ...route(request, campaigns, statsInList), headers: rateHeaders };
    },
    { apiKey: options.apiKey, port: options.port },
  );
}

function route(request: SimulatorRequest, campaigns: EsxCampaign[], statsInList: boolean): SimulatorResponse {
  if (request.path !== '/api/v1/campaigns') return { status: 404, body: { error: 'Not found' } };
  if (request.method !== 'GET') return { status: 405, body: { error: 'Method not allowed' } };
  const q = request.query;
  const id = q.get('id');
  if (id !== null) {
    const campaign = campaigns.find((c) => c.id === id);
    return campaign ? { status: 200, body: { data: campaign } } : { status: 404, body: { error: 'Campaign not found' } };
  }
  const page = q.has('page') ? Number(q.get('page')) : 1;
  const limit = q.has('limit') ? Number(q.get('limit')) : 50;
  if (!Number.isInteger(page) || page < 1) return { status: 400, body: { error: 'page must be a positive integer' } };
  if (!Number.isInteger(limit) || limit < 1 || limit > ESX_MAX_LIMIT) {
    return { status: 400, body: { error: `limit must be between 1 and ${ESX_MAX_LIMIT}` } };
  }
  const status = q.get('status');
  if (status !== null && !(ESX_STATUSES as readonly string[]).includes(status)) {
    return { status: 400, body: { error: `status must be one of ${ESX_STATUSES.join(', ')}` } };
  }
  const matching = status ? campaigns.filter((c) => c.status === status) : campaigns;
  const items = matching.slice((page - 1) * limit, page * limit).map((c) => {
    if (statsInList) return c;
    const { stats: _stats, ...rest } = c;
    return rest;
  });
  return {
    status: 200,
    body: {
      data: items,
      pagination: { page, limit, total: matching.length, totalPages: Math.ceil(matching.length / limit) },
    },
  };
}

function headerValue(request: SimulatorRequest, name: string): string | null {
  const value = request.headers[name];
  return typeof value === 'string' ? value : null;
}

/** Demo mode and tests: enforces the provider's documented quota unless `rateLimitPerMinute` says otherwise. */
export const start = (options: SimulatorOptions): Promise<RunningSimulator> => startEmailSendXSimulator(options);
