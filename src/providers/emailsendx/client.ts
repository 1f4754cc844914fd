import type { ProviderSettings } from '../../config.js';
import { UpstreamClient, type RequestPolicy } from '../../http/upstreamClient.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import type { EsxCampaign, EsxListResponse } from './wire.js';

/** EmailSendX's two calls: list campaigns (page/limit/status) and one campaign with full stats (`?id=`). */
export class EmailSendXClient {
  private readonly http: UpstreamClient;

  constructor(settings: ProviderSettings, options: { timeoutMs: number; policy?: RequestPolicy }) {
    this.http = new UpstreamClient({
      provider: 'EMAILSENDX',
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      authHeaders: (key) => ({ authorization: `Bearer ${key}` }),
      timeoutMs: options.timeoutMs,
      policy: options.policy,
      readError: (body) => ({
        message: typeof body === 'string' ? body : typeof (body as { error?: unknown })?.error === 'string' ? (body as { error: string }).error : undefined,
      }),
    });
  }

  async listCampaigns(
    query: { page: number; limit: number; status?: string | null },
    signal?: AbortSignal,
  ): Promise<EsxListResponse> {
    const body = await this.http.json({
      path: '/api/v1/campaigns',
      query: { page: query.page, limit: query.limit, status: query.status },
      signal,
    });
    const list = body as Partial<EsxListResponse> | null;
    if (!list || !Array.isArray(list.data) || !list.data.every(isCampaign)) {
      throw this.badResponse('the campaign list has no data array');
    }
    const total = list.pagination?.total;
    return {
      data: list.data,
      pagination: {
        page: query.page,
        limit: query.limit,
        total: typeof total === 'number' ? total : NaN,
        totalPages: list.pagination?.totalPages ?? NaN,
      },
    };
  }

  /** One campaign with its full stats; null when EmailSendX does not have it. */
  async getCampaign(id: string, signal?: AbortSignal): Promise<EsxCampaign | null> {
    const body = await this.http.json({ path: '/api/v1/campaigns', query: { id }, signal, notFoundAsNull: true });
    if (body === null) return null;
    if (typeof body !== 'object') throw this.badResponse('the campaign answer is not an object');
    const data = (body as { data?: unknown }).data;
    const campaign = Array.isArray(data) ? data[0] : data;
    if (campaign === undefined || campaign === null) return null;
    if (!isCampaign(campaign)) throw this.badResponse('the campaign has no id');
    return campaign;
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private badResponse(why: string): UpstreamFailure {
    return new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'EMAILSENDX', `EMAILSENDX answered with an unexpected body: ${why}`, {
      upstreamStatus: 200,
    });
  }
}

function isCampaign(value: unknown): value is EsxCampaign {
  return !!value && typeof value === 'object' && typeof (value as EsxCampaign).id === 'string';
}
