import type { UpstreamClient } from '../../http/upstreamClient.js';
import { esxRoutes, type EsxListPage } from './routes.js';
import type { EsxCampaign } from './wire.js';

/** EmailSendX's two calls: list campaigns (page/limit/status) and one campaign with full stats (`?id=`). */
export class EmailSendXClient {
  constructor(private readonly http: UpstreamClient) {}

  async listCampaigns(query: { page: number; limit: number; status?: string | null }, signal?: AbortSignal): Promise<EsxListPage> {
    return (await this.http.call(esxRoutes.listCampaigns, { query: { page: query.page, limit: query.limit, status: query.status }, signal }))!;
  }

  /** One campaign with its full stats; null when EmailSendX does not have it. */
  getCampaign(id: string, signal?: AbortSignal): Promise<EsxCampaign | null> {
    return this.http.call(esxRoutes.campaign, { query: { id }, signal });
  }
}
