import type { CampaignModel, CampaignStatsModel } from '../../domain/campaign.js';
import { emptyStats } from '../../domain/campaign.js';
import type { EmailLogModel } from '../../domain/emailLog.js';
import type { UpstreamErrorInfo } from '../../http/upstreamClient.js';
import { parseProviderDate, wireInt, wireNumber, wireText } from '../wireValues.js';
import { IB_STATUS_GROUPS, type IbLogRow } from './wire.js';

/**
 * A log row as a domain model, tagged with the campaign reference it was queried with. Null for a
 * row without a messageId or a readable sentAt: it can be neither identified nor placed in a
 * time-window walk (any field may be missing: a guess, docs/providers/infobip.md).
 */
export function toEmailLog(row: IbLogRow, campaignReferenceId: string | null): EmailLogModel | null {
  const sentAt = parseProviderDate(row.sentAt);
  if (typeof row.messageId !== 'string' || !row.messageId || !sentAt) return null;
  return {
    provider: 'INFOBIP',
    messageId: row.messageId,
    bulkId: wireText(row.bulkId),
    applicationId: wireText(row.applicationId),
    entityId: wireText(row.entityId),
    to: wireText(row.to),
    from: wireText(row.from),
    text: wireText(row.text),
    sentAt,
    doneAt: parseProviderDate(row.doneAt),
    messageCount: wireInt(row.messageCount),
    price: row.price
      ? { pricePerMessage: wireNumber(row.price.pricePerMessage), currency: wireText(row.price.currency) }
      : null,
    status: row.status
      ? {
          groupId: wireInt(row.status.groupId),
          groupName: wireText(row.status.groupName),
          id: wireInt(row.status.id),
          name: wireText(row.status.name),
          description: wireText(row.status.description),
          action: wireText(row.status.action),
        }
      : null,
    error: row.error
      ? {
          groupId: wireInt(row.error.groupId),
          groupName: wireText(row.error.groupName),
          id: wireInt(row.error.id),
          name: wireText(row.error.name),
          description: wireText(row.error.description),
          permanent: typeof row.error.permanent === 'boolean' ? row.error.permanent : null,
        }
      : null,
    campaignReferenceId,
  };
}

/**
 * A campaign reference as a Campaign, from its newest log. Infobip has no campaign object: no
 * name, subject or status. Status is SENDING while the newest log is still PENDING, else SENT (a
 * guess from one row, to keep the lookup at one call).
 */
export function toCampaign(campaignReferenceId: string, newest: EmailLogModel): CampaignModel {
  return {
    provider: 'INFOBIP',
    providerId: campaignReferenceId,
    name: null,
    subject: null,
    status: statusGroup(newest) === IB_STATUS_GROUPS.PENDING ? 'SENDING' : 'SENT',
    providerStatus: null,
    scheduledAt: null,
    sentAt: newest.sentAt,
    createdAt: null,
    totalRecipients: null,
  };
}

/** Stats counted from every log of a reference: sent = rows, delivered = DELIVERED, bounces = UNDELIVERABLE or REJECTED. */
export function deriveCampaignStats(logs: Iterable<EmailLogModel>): CampaignStatsModel {
  let sent = 0;
  let delivered = 0;
  let bounces = 0;
  for (const log of logs) {
    sent++;
    const group = statusGroup(log);
    if (group === IB_STATUS_GROUPS.DELIVERED) delivered++;
    else if (group === IB_STATUS_GROUPS.UNDELIVERABLE || group === IB_STATUS_GROUPS.REJECTED) bounces++;
  }
  return { ...emptyStats('DERIVED'), sent, delivered, bounces };
}

/** The status group of a log, by id or else by name (a row may carry either). */
function statusGroup(log: EmailLogModel): number | null {
  if (log.status?.groupId != null) return log.status.groupId;
  const name = log.status?.groupName?.toUpperCase();
  return name && name in IB_STATUS_GROUPS ? IB_STATUS_GROUPS[name as keyof typeof IB_STATUS_GROUPS] : null;
}

/**
 * Reads either error body Infobip sends (docs): the newer `{errorCode, description, ...}` or the
 * legacy `{requestError: {serviceException: {messageId, text}}}`.
 */
export function readInfobipError(body: unknown): UpstreamErrorInfo {
  if (typeof body === 'string') return { message: body || undefined };
  if (!body || typeof body !== 'object') return {};
  const newer = body as { errorCode?: unknown; description?: unknown; violations?: unknown };
  if (typeof newer.errorCode === 'string') {
    const violations = Array.isArray(newer.violations)
      ? newer.violations
          .map((v: { property?: unknown; violation?: unknown }) =>
            [v?.property, v?.violation].filter((part) => typeof part === 'string').join(' '),
          )
          .filter(Boolean)
      : [];
    const description = typeof newer.description === 'string' ? newer.description : undefined;
    const message = [description, ...violations].filter(Boolean).join('; ') || undefined;
    return { code: newer.errorCode, message };
  }
  const exception = (body as { requestError?: { serviceException?: { messageId?: unknown; text?: unknown } } })
    .requestError?.serviceException;
  if (exception && typeof exception === 'object') {
    return {
      code: typeof exception.messageId === 'string' ? exception.messageId : undefined,
      message: typeof exception.text === 'string' ? exception.text : undefined,
    };
  }
  return {};
}
