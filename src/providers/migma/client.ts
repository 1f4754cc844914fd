import type { UpstreamClient } from '../../http/upstreamClient.js';
import { migmaRoutes } from './routes.js';
import type { MigmaCampaign, MigmaCampaignList, MigmaLogPage, MigmaLogStatusFilter, MigmaStats } from './wire.js';

/** Migma's four calls: list a project's campaigns, one campaign, its stats, its logs. */
export class MigmaClient {
  constructor(private readonly http: UpstreamClient) {}

  async listCampaigns(query: { projectId: string; page: number; limit: number; status?: string | null }, signal?: AbortSignal): Promise<MigmaCampaignList> {
    const query_ = { projectId: query.projectId, status: query.status, page: query.page, limit: query.limit };
    return (await this.http.call(migmaRoutes.listCampaigns, { query: query_, signal }))!;
  }

  /** One campaign; null when Migma does not have it (404). */
  getCampaign(id: string, signal?: AbortSignal): Promise<MigmaCampaign | null> {
    return this.http.call(migmaRoutes.campaign, { params: { id }, signal });
  }

  /** A campaign's aggregate stats; null when Migma has none for it (404). */
  getCampaignStats(id: string, signal?: AbortSignal): Promise<MigmaStats | null> {
    return this.http.call(migmaRoutes.campaignStats, { params: { id }, signal });
  }

  /** One page of a campaign's logs, newest first; null when Migma does not have the campaign (404). */
  getCampaignLogs(
    id: string,
    query: { limit: number; cursor: string | null; status: MigmaLogStatusFilter | null },
    signal?: AbortSignal,
  ): Promise<MigmaLogPage | null> {
    return this.http.call(migmaRoutes.campaignLogs, { params: { id }, query: { limit: query.limit, cursor: query.cursor, status: query.status }, signal });
  }
}
