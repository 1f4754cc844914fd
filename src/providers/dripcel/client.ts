import type { ProviderSettings } from '../../config.js';
import { UpstreamClient, type RequestPolicy, type UpstreamErrorInfo, type UpstreamRequest } from '../../http/upstreamClient.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import {
  RESOURCE_NOT_FOUND,
  type DripcelCampaign,
  type DripcelEnvelope,
  type DripcelSearchRequest,
  type DripcelSearchResult,
  type DripcelSendLog,
  type GroupDestinations,
} from './wire.js';

/** Dripcel's four calls: search send logs, one send log, the campaign list and one campaign. */
export class DripcelClient {
  private readonly http: UpstreamClient;

  constructor(settings: ProviderSettings, options: { timeoutMs: number; policy?: RequestPolicy }) {
    this.http = new UpstreamClient({
      provider: 'DRIPCEL',
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      timeoutMs: options.timeoutMs,
      policy: options.policy,
      readError: readDripcelError,
    });
  }

  /** `POST /send-logs/search`: one page of the logs matching `find`, and how many match in all. */
  async searchSendLogs(request: DripcelSearchRequest, signal?: AbortSignal): Promise<DripcelSearchResult> {
    const data = await this.call({ method: 'POST', path: '/send-logs/search', body: request, signal, idempotent: true });
    const result = data as { total?: unknown; send_logs?: unknown } | null;
    if (!result || typeof result !== 'object' || !Array.isArray(result.send_logs) || !result.send_logs.every(isSendLog)) {
      throw badResponse('the search answer has no send_logs array');
    }
    return { total: typeof result.total === 'number' ? result.total : null, send_logs: result.send_logs };
  }

  /** `GET /send-logs/:send_id`; null when Dripcel does not have it. */
  async getSendLog(id: string, group: GroupDestinations, signal?: AbortSignal): Promise<DripcelSendLog | null> {
    const data = await this.call(
      { path: `/send-logs/${encodeURIComponent(id)}`, query: { group_destinations: group }, signal, notFoundAsNull: true },
      true,
    );
    if (data === null) return null;
    if (!isSendLog(data)) throw badResponse('the send log has no _id');
    return data;
  }

  /** `GET /campaigns`: every campaign in one answer (NOTES.md: body and paging unpublished, a guess). */
  async listCampaigns(signal?: AbortSignal): Promise<DripcelCampaign[]> {
    const data = await this.call({ path: '/campaigns', signal });
    if (!Array.isArray(data) || !data.every(isCampaign)) throw badResponse('the campaign list has no data array');
    return data;
  }

  /** `GET /campaigns/:campaign_id`; null when Dripcel does not have it. */
  async getCampaign(id: string, signal?: AbortSignal): Promise<DripcelCampaign | null> {
    const data = await this.call({ path: `/campaigns/${encodeURIComponent(id)}`, signal, notFoundAsNull: true }, true);
    if (data === null) return null;
    if (!isCampaign(data)) throw badResponse('the campaign has no _id');
    return data;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /**
   * Sends a request and unwraps `{ok: true, data}`. A 200 saying `ok: false` is a failure too,
   * except `resource_not_found` on a single lookup, which is null like a 404.
   */
  private async call(request: UpstreamRequest, singleLookup = false): Promise<unknown> {
    const body = await this.http.json(request);
    if (body === null) return null;
    const envelope = body as DripcelEnvelope<unknown>;
    if (!envelope || typeof envelope !== 'object' || typeof envelope.ok !== 'boolean') {
      throw badResponse('the body has no `ok` field');
    }
    if (!envelope.ok) {
      const info = readDripcelError(envelope);
      if (singleLookup && info.code === RESOURCE_NOT_FOUND) return null;
      throw this.http.failure('UPSTREAM_BAD_RESPONSE', `answered 200 with ok: false${info.message ? `: ${info.message}` : ''}`, {
        upstreamStatus: 200,
        upstreamCode: info.code,
      });
    }
    if (envelope.data === undefined) throw badResponse('the body has no `data`');
    return envelope.data;
  }
}

/** Reads `{ok: false, error}` where `error` is text or `{code, message}` (NOTES.md: both seen). */
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

function badResponse(why: string): UpstreamFailure {
  return new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'DRIPCEL', `DRIPCEL answered with an unexpected body: ${why}`, {
    upstreamStatus: 200,
  });
}

function isSendLog(value: unknown): value is DripcelSendLog {
  return !!value && typeof value === 'object' && typeof (value as DripcelSendLog)._id === 'string';
}

function isCampaign(value: unknown): value is DripcelCampaign {
  return !!value && typeof value === 'object' && typeof (value as DripcelCampaign)._id === 'string';
}
