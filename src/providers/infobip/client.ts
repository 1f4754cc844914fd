import type { UpstreamClient } from '../../http/upstreamClient.js';
import { infobipRoutes } from './routes.js';
import { IB_MAX_LIMIT, type IbLogFilterParams, type IbLogRow } from './wire.js';

export interface IbLogQuery extends IbLogFilterParams {
  sentSince?: Date | null;
  sentUntil?: Date | null;
  /** 1..1000 (docs). */
  limit: number;
}

/** Infobip's one call here: `GET /email/1/logs` with its filters, time window and limit. */
export class InfobipClient {
  constructor(private readonly http: UpstreamClient) {}

  /** Log rows as Infobip returns them (newest first, guess). */
  async getLogs(query: IbLogQuery, signal?: AbortSignal): Promise<IbLogRow[]> {
    if (!Number.isInteger(query.limit) || query.limit < 1 || query.limit > IB_MAX_LIMIT) {
      throw new RangeError(`Infobip limit must be 1..${IB_MAX_LIMIT}; got ${query.limit}`);
    }
    const params = {
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
    };
    return (await this.http.call(infobipRoutes.logs, { query: params, signal }))!;
  }
}
