import type { ProviderSettings } from '../../config.js';
import { UpstreamClient, type RequestPolicy } from '../../http/upstreamClient.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import { readInfobipError } from './mapping.js';
import { IB_MAX_LIMIT, type IbLogFilterParams, type IbLogRow } from './wire.js';

export interface IbLogQuery extends IbLogFilterParams {
  sentSince?: Date | null;
  sentUntil?: Date | null;
  /** 1..1000 (docs). */
  limit: number;
}

/** Infobip's one call here: `GET /email/1/logs` with its filters, time window and limit. */
export class InfobipClient {
  private readonly http: UpstreamClient;

  constructor(settings: ProviderSettings, options: { timeoutMs: number; policy?: RequestPolicy }) {
    this.http = new UpstreamClient({
      provider: 'INFOBIP',
      baseUrl: settings.baseUrl,
      apiKey: settings.apiKey,
      authHeaders: (key) => ({ authorization: `App ${key}` }),
      timeoutMs: options.timeoutMs,
      policy: options.policy,
      readError: readInfobipError,
    });
  }

  /** Log rows as Infobip returns them (newest first, guess); throws UPSTREAM_BAD_RESPONSE without a `results` array. */
  async getLogs(query: IbLogQuery, signal?: AbortSignal): Promise<IbLogRow[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > IB_MAX_LIMIT) {
      throw new RangeError(`Infobip limit must be 1..${IB_MAX_LIMIT}; got ${query.limit}`);
    }
    const body = await this.http.json({
      path: '/email/1/logs',
      query: {
        messageId: query.messageId,
        from: query.from,
        to: query.to,
        bulkId: query.bulkId,
        campaignReferenceId: query.campaignReferenceId,
        generalStatus: query.generalStatus,
        sentSince: query.sentSince?.toISOString(),
        sentUntil: query.sentUntil?.toISOString(),
        applicationId: query.applicationId,
        entityId: query.entityId,
        limit: query.limit,
      },
      signal,
    });
    const results = (body as { results?: unknown } | null)?.results;
    if (!Array.isArray(results) || !results.every((row) => !!row && typeof row === 'object')) {
      throw new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'INFOBIP', 'INFOBIP answered with an unexpected body: no results array', {
        upstreamStatus: 200,
      });
    }
    return results as IbLogRow[];
  }

  close(): Promise<void> {
    return this.http.close();
  }
}
