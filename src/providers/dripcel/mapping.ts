import { emptyStats, type CampaignModel, type CampaignStatsModel, type CampaignStatus } from '../../domain/campaign.js';
import type { SendLogModel, SendLogSearch } from '../../domain/sendLog.js';
import { parseProviderDate, wireInt, wireText } from '../wireValues.js';
import type { DripcelCampaign, DripcelSearchRequest, DripcelSendLog } from './wire.js';

const STATUS: Record<string, CampaignStatus> = {
  draft: 'DRAFT',
  scheduled: 'SCHEDULED',
  queued: 'SCHEDULED',
  active: 'SENDING',
  running: 'SENDING',
  sending: 'SENDING',
  sent: 'SENT',
  complete: 'SENT',
  completed: 'SENT',
  finished: 'SENT',
  inactive: 'SENT',
  paused: 'PAUSED',
  cancelled: 'CANCELLED',
  canceled: 'CANCELLED',
  failed: 'FAILED',
};

/**
 * The one place that reads a Dripcel campaign. Its body is not published (guess, docs/providers/dripcel.md:
 * what a third-party client models, `{_id, name, status?, active?, createdAt?, updatedAt?}`): a known `status`
 * wins; otherwise `active: true` is SENDING (it still sends) and `active: false` SENT (done).
 * The raw value stays in providerStatus (`active=true` when only the flag is there).
 */
export function toCampaign(wire: DripcelCampaign): CampaignModel {
  const status = typeof wire.status === 'string' && wire.status ? wire.status : null;
  const active = typeof wire.active === 'boolean' ? wire.active : null;
  let normalised: CampaignStatus = (status && STATUS[status.toLowerCase()]) || 'UNKNOWN';
  if (normalised === 'UNKNOWN' && !status && active !== null) normalised = active ? 'SENDING' : 'SENT';
  return {
    provider: 'DRIPCEL',
    providerId: wire._id,
    name: wireText(wire.name),
    subject: null,
    status: normalised,
    providerStatus: status ?? (active === null ? null : `active=${active}`),
    scheduledAt: null,
    sentAt: null,
    createdAt: parseProviderDate(wire.createdAt),
    totalRecipients: null,
  };
}

/** A send log; `destinations` is a count, or a list whose length is the count (docs). */
export function toSendLog(wire: DripcelSendLog): SendLogModel {
  const list = Array.isArray(wire.destinations) ? wire.destinations.filter((d): d is string => typeof d === 'string') : null;
  const count = wireInt(wire.destinations);
  return {
    provider: 'DRIPCEL',
    providerId: wire._id,
    campaignId: wireText(wire.campaign_id),
    message: wireText(wire.message),
    triggeredBy: wireText(wire.triggeredBy),
    startDeliveryAt: parseProviderDate(wire.startDeliveryAt),
    destinationCount: list ? list.length : count,
    destinations: list,
  };
}

/** Derived stats (README.md): `sent` is the sum of the campaign's send logs' destination counts. */
export function toDerivedStats(logs: readonly SendLogModel[]): CampaignStatsModel {
  return { ...emptyStats('DERIVED'), sent: logs.reduce((sum, log) => sum + (log.destinationCount ?? 0), 0) };
}

/** Our search to Dripcel's `find`: campaign ids as an array, the delivery window as `$gte`/`$lte` ISO strings. */
export function toFind(search: SendLogSearch): DripcelSearchRequest['find'] {
  const find: DripcelSearchRequest['find'] = {};
  if (search.campaignIds) find.campaign_id = [...search.campaignIds];
  if (search.startDeliveryFrom || search.startDeliveryTo) {
    find.startDeliveryAt = {};
    if (search.startDeliveryFrom) find.startDeliveryAt.$gte = search.startDeliveryFrom.toISOString();
    if (search.startDeliveryTo) find.startDeliveryAt.$lte = search.startDeliveryTo.toISOString();
  }
  return find;
}
