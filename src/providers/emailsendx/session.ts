import type { CampaignModel, CampaignStatsModel } from '../../domain/campaign.js';
import { listPagedCampaigns } from '../paging/pagedCampaignList.js';
import type { CampaignLister, CampaignListPage, CampaignListQuery, ProviderSession, RequestScope } from '../provider.js';
import type { EmailSendXClient } from './client.js';
import { toCampaign, toCampaignStats, toUpstreamStatus } from './mapping.js';
import { asCaller } from '../../http/callLedger.js';
import { AttributedLoader, eachAsCaller } from '../attributedLoader.js';
import { mappedOnce } from '../mappedOnce.js';
import { ESX_MAX_LIMIT, type EsxCampaign } from './wire.js';

/** EmailSendX for one request: loaders and the translation of our windows to page/limit. */
export class EmailSendXSession implements ProviderSession, CampaignLister {
  readonly provider = 'EMAILSENDX' as const;
  readonly campaignList: CampaignLister = this;

  /** `?id=` calls, one per distinct id per request (EmailSendX has no batch lookup). */
  private readonly campaignLoader: AttributedLoader<string, EsxCampaign | null>;
  /** Stats by campaign id: primed from list items that carry stats, else read through `?id=`. */
  private readonly campaignStatsLoader: AttributedLoader<string, CampaignStatsModel | null>;

  constructor(
    private readonly client: EmailSendXClient,
    private readonly scope: RequestScope,
  ) {
    this.campaignLoader = new AttributedLoader(
      eachAsCaller((id) => this.client.getCampaign(id, scope.signal)),
      { name: 'emailSendXCampaignLoader' },
    );
    // Each stats key loads its campaign as the field that asked for the stats, so a stale `?id=`
    // answer is reported at that field (and at a campaign field that asked for the same id).
    this.campaignStatsLoader = new AttributedLoader(
      async (ids, callers) => {
        const campaigns = await Promise.all(ids.map((id, i) => asCaller(callers[i], () => this.campaignLoader.load(id)).catch((error: Error) => error)));
        return campaigns.map((c) => (c instanceof Error ? c : c?.stats ? mappedOnce(c.stats, toCampaignStats) : null));
      },
      { name: 'emailSendXCampaignStatsLoader' },
    );
  }

  async campaign(providerId: string): Promise<CampaignModel | null> {
    const wire = await this.campaignLoader.load(providerId);
    return wire ? mappedOnce(wire, toCampaign) : null;
  }

  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null> {
    return this.campaignStatsLoader.load(campaign.providerId);
  }

  listCampaigns(query: CampaignListQuery): Promise<CampaignListPage> {
    return listPagedCampaigns(query, {
      maxLimit: ESX_MAX_LIMIT,
      upstreamStatuses: (status) => {
        const value = toUpstreamStatus(status);
        return value ? [value] : [];
      },
      fetchPage: async (page, limit, status) => {
        const response = await this.client.listCampaigns({ page, limit, status }, this.scope.signal);
        return { items: response.data, total: response.total };
      },
      toCampaign: (item) => this.remember(item),
    });
  }

  /**
   * Primes the loaders with what a list item already carries, so later fields cost no call. An
   * item with a `stats` key is complete (null stats: none yet, e.g. a draft); without the key, the
   * stats come from `?id=` when asked for.
   */
  private remember(item: EsxCampaign): CampaignModel {
    if ('stats' in item && item.stats !== undefined) {
      this.campaignLoader.prime(item.id, item);
      this.campaignStatsLoader.prime(item.id, item.stats ? mappedOnce(item.stats, toCampaignStats) : null);
    }
    return mappedOnce(item, toCampaign);
  }
}
