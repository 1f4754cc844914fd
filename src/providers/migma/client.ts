import type { ProviderSettings } from '../../config.js';
import { UpstreamClient, type RequestPolicy } from '../../http/upstreamClient.js';
import type { UpstreamFailure } from '../../http/upstreamFailure.js';
import { parseProviderDate } from '../wireValues.js';
import type { MigmaCampaign, MigmaCampaignList, MigmaEnvelope, MigmaLogPage, MigmaLogRow, MigmaLogStatusFilter, MigmaStats } from './wire.js';

/**
 * Migma's four calls: list a project's campaigns, one campaign, its stats, its logs. Unwraps the
 * `{success, data}` envelope and checks the shape; a 200 that says `success: false`, or a body
 * without the documented data, is UPSTREAM_BAD_RESPONSE.
 */
export class MigmaClient {
  private readonly http: UpstreamClient;

  constructor(settings: ProviderSettings, options: { timeoutMs: number; policy?: RequestPolicy }) {
    this.http = new UpstreamClient({
      provider: 'MIGMA',
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      timeoutMs: options.timeoutMs,
      policy: options.policy,
      readError: readMigmaError,
    });
  }

  async listCampaigns(
    query: { projectId: string; page: number; limit: number; status?: string | null },
    signal?: AbortSignal,
  ): Promise<MigmaCampaignList> {
    const body = await this.http.json({
      path: '/v1/campaigns',
      query: { projectId: query.projectId, status: query.status, page: query.page, limit: query.limit },
      signal,
    });
    const data = this.unwrap(body) as Partial<MigmaCampaignList> | null;
    if (!data || !Array.isArray(data.campaigns) || !data.campaigns.every(isCampaign)) {
      throw this.badResponse('the campaign list has no campaigns array');
    }
    return { campaigns: data.campaigns, total: typeof data.total === 'number' ? data.total : NaN };
  }

  /** One campaign; null when Migma does not have it (404). */
  async getCampaign(id: string, signal?: AbortSignal): Promise<MigmaCampaign | null> {
    const body = await this.http.json({ path: `/v1/campaigns/${encodeURIComponent(id)}`, signal, notFoundAsNull: true });
    if (body === null) return null;
    const data = this.unwrap(body);
    if (!isCampaign(data)) throw this.badResponse('the campaign has no id');
    return data;
  }

  /** A campaign's aggregate stats; null when Migma has none for it (404). */
  async getCampaignStats(id: string, signal?: AbortSignal): Promise<MigmaStats | null> {
    const body = await this.http.json({
      path: `/v1/campaigns/${encodeURIComponent(id)}/stats`,
      signal,
      notFoundAsNull: true,
    });
    if (body === null) return null;
    const data = this.unwrap(body);
    if (!data || typeof data !== 'object') throw this.badResponse('the stats have no data');
    return data as MigmaStats;
  }

  /** One page of a campaign's logs, newest first; null when Migma does not have the campaign (404). */
  async getCampaignLogs(
    id: string,
    query: { limit: number; cursor: string | null; status: MigmaLogStatusFilter | null },
    signal?: AbortSignal,
  ): Promise<MigmaLogPage | null> {
    const body = await this.http.json({
      path: `/v1/campaigns/${encodeURIComponent(id)}/logs`,
      query: { limit: query.limit, cursor: query.cursor, status: query.status },
      signal,
      notFoundAsNull: true,
    });
    if (body === null) return null;
    const data = this.unwrap(body) as Partial<MigmaLogPage> | null;
    if (!data || !Array.isArray(data.emails) || !data.emails.every(isLogRow)) {
      throw this.badResponse('the logs have no emails array of rows');
    }
    const nextCursor = typeof data.nextCursor === 'string' && data.nextCursor ? data.nextCursor : null;
    return { emails: data.emails, nextCursor, hasMore: data.hasMore === true && nextCursor !== null };
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** The envelope's data; a 2xx body that is no envelope or says `success: false` cannot be used. */
  private unwrap(body: unknown): unknown {
    if (!body || typeof body !== 'object') throw this.badResponse('the body is no {success, data} envelope');
    const envelope = body as MigmaEnvelope<unknown>;
    if (envelope.success === false) {
      const error = readMigmaError(envelope);
      throw this.badResponse(`success is false${error.message ? `: ${error.message}` : ''}`, error.code);
    }
    if (envelope.success !== true) throw this.badResponse('the body is no {success, data} envelope');
    return envelope.data ?? null;
  }

  private badResponse(why: string, upstreamCode?: string): UpstreamFailure {
    return this.http.failure('UPSTREAM_BAD_RESPONSE', `answered with an unexpected body: ${why}`, { upstreamStatus: 200, upstreamCode });
  }
}

/** Migma's error body `{success: false, error: "<text>", code?: "<CODE>"}` (docs). */
export function readMigmaError(body: unknown): { message?: string; code?: string } {
  if (typeof body === 'string') return { message: body };
  if (!body || typeof body !== 'object') return {};
  const { error, code } = body as { error?: unknown; code?: unknown };
  return {
    message: typeof error === 'string' ? error : undefined,
    code: typeof code === 'string' && code ? code : undefined,
  };
}

function isCampaign(value: unknown): value is MigmaCampaign {
  return !!value && typeof value === 'object' && typeof (value as MigmaCampaign).id === 'string';
}

function isLogRow(value: unknown): value is MigmaLogRow {
  const row = value as MigmaLogRow;
  return (
    !!row &&
    typeof row === 'object' &&
    typeof row.to_email === 'string' &&
    typeof row.status === 'string' &&
    parseProviderDate(row.created_at) !== null
  );
}
