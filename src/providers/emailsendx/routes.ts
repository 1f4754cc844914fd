import { route, UnexpectedBody, type Route } from '../../http/route.js';
import type { EsxCampaign } from './wire.js';

/** A page of the list: its items and `pagination.total` when given. */
export interface EsxListPage {
  data: EsxCampaign[];
  total: number | null;
}

/** The two calls EmailSendX serves here, both on `GET /api/v1/campaigns` (docs/providers/emailsendx.md). */
/** `?id=`: `{data: {...}}` with full stats; a one-element array is accepted too (guess). 404: no such campaign. */
const campaignRoute: Route<EsxCampaign | null> = route({
  name: 'campaign',
  call: 'GET /api/v1/campaigns',
  kind: 'campaign',
  notFoundAsNull: true,
  read: (body): EsxCampaign | null => {
    if (!body || typeof body !== 'object') throw new UnexpectedBody('the campaign answer is not an object');
    const data = (body as { data?: unknown }).data;
    const campaign = Array.isArray(data) ? data[0] : data;
    if (campaign === undefined || campaign === null) return null;
    if (!isCampaign(campaign)) throw new UnexpectedBody('the campaign has no id');
    return campaign;
  },
});

export const esxRoutes = {
  /** `?page=&limit=&status=`: `{data: [...], pagination: {page, limit, total, totalPages}}` (docs). */
  listCampaigns: route({
    name: 'listCampaigns',
    call: 'GET /api/v1/campaigns',
    kind: 'campaignList',
    read: (body): EsxListPage => {
      const list = body as { data?: unknown; pagination?: { total?: unknown } } | null;
      if (!list || typeof list !== 'object' || !Array.isArray(list.data) || !list.data.every(isCampaign)) {
        throw new UnexpectedBody('the campaign list has no data array');
      }
      const total = list.pagination?.total;
      return { data: list.data, total: typeof total === 'number' && Number.isFinite(total) ? total : null };
    },
    // An item with a `stats` key is what `?id=` answers for it (items without stats are not).
    primes: (page) =>
      page.data.filter((item) => 'stats' in item && item.stats !== undefined).map((item) => ({ route: campaignRoute, query: { id: item.id }, data: item })),
  }),
  campaign: campaignRoute,
};

function isCampaign(value: unknown): value is EsxCampaign {
  return !!value && typeof value === 'object' && typeof (value as EsxCampaign).id === 'string';
}
