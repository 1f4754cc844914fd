import { route, UnexpectedBody, type Route } from '../../http/route.js';
import { providerTime } from '../wireValues.js';
import type { MigmaCampaign, MigmaCampaignList, MigmaEnvelope, MigmaLogPage, MigmaLogRow, MigmaStats } from './wire.js';

/** Migma's four calls (docs/providers/migma.md); each answer is the data of a `{success, data}` envelope. */
const campaignRoute: Route<MigmaCampaign> = route({
  name: 'campaign',
  call: 'GET /v1/campaigns/:id',
  kind: 'campaign',
  notFoundAsNull: true,
  read: (data): MigmaCampaign => {
    if (!isCampaign(data)) throw new UnexpectedBody('the campaign has no id');
    return data;
  },
});

export const migmaRoutes = {
  /** `?projectId=&status=&page=&limit=` (sdk): `{campaigns, total}`. */
  listCampaigns: route({
    name: 'listCampaigns',
    call: 'GET /v1/campaigns',
    kind: 'campaignList',
    read: (data): MigmaCampaignList => {
      const list = data as Partial<MigmaCampaignList> | null;
      if (!list || !Array.isArray(list.campaigns) || !list.campaigns.every(isCampaign)) {
        throw new UnexpectedBody('the campaign list has no campaigns array');
      }
      return { campaigns: list.campaigns, total: typeof list.total === 'number' && Number.isFinite(list.total) ? list.total : null };
    },
    // Each listed campaign is the answer of its own lookup.
    primes: (list) => list.campaigns.map((campaign) => ({ route: campaignRoute, params: { id: campaign.id }, data: campaign })),
  }),
  campaign: campaignRoute,
  /** Aggregate engagement; documented as possibly cached and slightly stale (docs). */
  campaignStats: route({
    name: 'campaignStats',
    call: 'GET /v1/campaigns/:id/stats',
    kind: 'stats',
    notFoundAsNull: true,
    read: (data): MigmaStats => {
      if (!data || typeof data !== 'object') throw new UnexpectedBody('the stats have no data');
      return data as MigmaStats;
    },
  }),
  /** `?limit=&cursor=&status=`: a page of per-recipient rows, newest first, `nextCursor` + `hasMore` (docs). */
  campaignLogs: route({
    name: 'campaignLogs',
    call: 'GET /v1/campaigns/:id/logs',
    kind: 'logPage',
    notFoundAsNull: true,
    read: (data): MigmaLogPage => {
      const page = data as Partial<MigmaLogPage> | null;
      if (!page || !Array.isArray(page.emails) || !page.emails.every(isLogRow)) {
        throw new UnexpectedBody('the logs have no emails array of rows');
      }
      const nextCursor = typeof page.nextCursor === 'string' && page.nextCursor ? page.nextCursor : null;
      return { emails: page.emails, nextCursor, hasMore: page.hasMore === true && nextCursor !== null };
    },
  }),
};

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

/** The data of `{success: true, data}`; a body that is no envelope or says `success: false` cannot be used. */
export function unwrapMigmaEnvelope(body: unknown): unknown {
  if (!body || typeof body !== 'object') throw new UnexpectedBody('the body is no {success, data} envelope');
  const envelope = body as MigmaEnvelope<unknown>;
  if (envelope.success === false) {
    const error = readMigmaError(envelope);
    throw new UnexpectedBody(`success is false${error.message ? `: ${error.message}` : ''}`, error.code);
  }
  if (envelope.success !== true) throw new UnexpectedBody('the body is no {success, data} envelope');
  return envelope.data ?? null;
}

function isCampaign(value: unknown): value is MigmaCampaign {
  return !!value && typeof value === 'object' && typeof (value as MigmaCampaign).id === 'string';
}

function isLogRow(value: unknown): value is MigmaLogRow {
  const row = value as MigmaLogRow;
  return !!row && typeof row === 'object' && typeof row.to_email === 'string' && typeof row.status === 'string' && providerTime(row.created_at) !== null;
}
