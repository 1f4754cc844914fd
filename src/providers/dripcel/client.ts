import type { UpstreamClient } from '../../http/upstreamClient.js';
import { dripcelRoutes } from './routes.js';
import type { DripcelCampaign, DripcelSearchRequest, DripcelSearchResult, DripcelSendLog, GroupDestinations } from './wire.js';

/** Dripcel's four calls: search send logs, one send log, the campaign list and one campaign. */
export class DripcelClient {
  constructor(private readonly http: UpstreamClient) {}

  /** `POST /send-logs/search`: one page of the logs matching `find`, and how many match in all. */
  async searchSendLogs(request: DripcelSearchRequest, signal?: AbortSignal): Promise<DripcelSearchResult> {
    return (await this.http.call(dripcelRoutes.searchSendLogs, { body: request, signal }))!;
  }

  /** `GET /send-logs/:send_id`; null when Dripcel does not have it. */
  getSendLog(id: string, group: GroupDestinations, signal?: AbortSignal): Promise<DripcelSendLog | null> {
    return this.http.call(dripcelRoutes.sendLog, { params: { id }, query: { group_destinations: group }, signal });
  }

  /** `GET /campaigns`: every campaign in one answer. */
  async listCampaigns(signal?: AbortSignal): Promise<DripcelCampaign[]> {
    return (await this.http.call(dripcelRoutes.listCampaigns, { signal }))!;
  }

  /** `GET /campaigns/:campaign_id`; null when Dripcel does not have it. */
  getCampaign(id: string, signal?: AbortSignal): Promise<DripcelCampaign | null> {
    return this.http.call(dripcelRoutes.campaign, { params: { id }, signal });
  }
}
