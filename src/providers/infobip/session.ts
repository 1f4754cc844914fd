import type { CampaignModel, CampaignStatsModel } from '../../domain/campaign.js';
import type { EmailLogFilterModel, EmailLogModel } from '../../domain/emailLog.js';
import { InvalidArgument } from '../../domain/invalidArgument.js';
import { UpstreamFailure } from '../../http/upstreamFailure.js';
import type { EmailLogQuery, EmailLogSource, PositionCodec, ProviderSession, RequestScope } from '../provider.js';
import { AttributedLoader, eachAsCaller } from '../attributedLoader.js';
import type { InfobipClient } from './client.js';
import { walkLogs, TieOverflowError, type LogWalkPosition, type LogWalkResult } from './logWalk.js';
import { deriveCampaignStats, toCampaign, toEmailLog } from './mapping.js';
import { IB_LOG_RETENTION_MS, IB_MAX_LIMIT } from './wire.js';

/** A walk's query, its position read by {@link EMAIL_LOG_POSITIONS}. */
interface EmailLogListQuery extends Omit<EmailLogQuery, 'after'> {
  after: LogWalkPosition | null;
}

/** Slack for clients that compute "48 hours ago" a moment before the request arrives. */
const RETENTION_SLACK_MS = 60_000;

/**
 * Infobip for one request: campaigns by reference (one `limit=1` call), stats derived from a walk
 * over all of a reference's logs, email logs paged through the time window. No campaign listing.
 */
export class InfobipSession implements ProviderSession, EmailLogSource {
  readonly provider = 'INFOBIP' as const;
  readonly emailLogs: EmailLogSource = this;
  readonly emailLogPositions = EMAIL_LOG_POSITIONS as PositionCodec<unknown>;

  /** A reference is a campaign while it has a log in the window: `?campaignReferenceId=&limit=1`. */
  private readonly campaignLoader: AttributedLoader<string, CampaignModel | null>;
  /** Every log of a reference, walked 1000 at a time, counted; one walk per reference per request. */
  private readonly campaignStatsLoader: AttributedLoader<string, CampaignStatsModel>;
  /** One log by messageId (`?messageId=`); primed by lists. */
  private readonly emailLogLoader: AttributedLoader<string, EmailLogModel | null>;

  constructor(
    private readonly client: InfobipClient,
    private readonly scope: RequestScope,
  ) {
    // One call (or walk) per key, each as the field that asked for it.
    this.campaignLoader = new AttributedLoader(
      eachAsCaller((ref) => this.newestLog(ref)),
      { name: 'infobipCampaignLoader' },
    );
    this.campaignStatsLoader = new AttributedLoader(
      eachAsCaller((ref) =>
        this.walk({ filter: { campaignReferenceId: ref }, count: Infinity, after: null }).then((walk) => {
          this.primeCampaign({ filter: { campaignReferenceId: ref }, count: Infinity, after: null }, walk.logs);
          return deriveCampaignStats(walk.logs);
        }),
      ),
      { name: 'infobipCampaignStatsLoader' },
    );
    this.emailLogLoader = new AttributedLoader(
      eachAsCaller((messageId) =>
        this.client.getLogs({ messageId, limit: 1 }, this.scope.signal).then((rows) => (rows[0] ? toEmailLog(rows[0], null) : null)),
      ),
      { name: 'infobipEmailLogLoader' },
    );
  }

  campaign(providerId: string): Promise<CampaignModel | null> {
    return this.campaignLoader.load(providerId);
  }

  campaignStats(campaign: CampaignModel): Promise<CampaignStatsModel | null> {
    return this.campaignStatsLoader.load(campaign.providerId);
  }

  /** One email log by its messageId; null when Infobip has no such log (in the window). */
  emailLog(messageId: string): Promise<EmailLogModel | null> {
    return this.emailLogLoader.load(messageId);
  }

  /**
   * A page of email logs, newest first, with the position after each (see logWalk.ts).
   * @throws InvalidArgument for a window reaching before Infobip's 48 hours: an error, not a
   *   silently empty or clamped page.
   */
  async readEmailLogs(query: EmailLogQuery): Promise<LogWalkResult> {
    checkWindow(query.filter);
    const walkQuery = query as EmailLogListQuery;
    const walk = await this.walk(walkQuery);
    for (const log of walk.logs) this.emailLogLoader.prime(log.messageId, log);
    this.primeCampaign(walkQuery, walk.logs);
    return walk;
  }

  /** A walk from the top over exactly one reference starts with its newest log: what `campaign` reads. */
  private primeCampaign(query: EmailLogListQuery, logs: EmailLogModel[]): void {
    const ref = query.filter.campaignReferenceId;
    const onlyReference = Object.entries(query.filter).every(([name, value]) => name === 'campaignReferenceId' || value == null);
    if (ref && onlyReference && query.after === null && logs[0]) this.campaignLoader.prime(ref, toCampaign(ref, logs[0]));
  }

  private async walk(query: EmailLogListQuery): Promise<LogWalkResult> {
    const { filter } = query;
    const reference = filter.campaignReferenceId ?? null;
    try {
      return await walkLogs({
        count: query.count,
        from: query.after,
        until: filter.sentUntil ?? null,
        fetchPage: async ({ sentUntil, limit }) => {
          const rows = await this.client.getLogs(
            {
              messageId: filter.messageId,
              from: filter.from,
              to: filter.to,
              bulkId: filter.bulkId,
              campaignReferenceId: filter.campaignReferenceId,
              generalStatus: filter.generalStatus,
              applicationId: filter.applicationId,
              entityId: filter.entityId,
              sentSince: filter.sentSince,
              sentUntil,
              limit,
            },
            this.scope.signal,
          );
          const logs = rows.map((row) => toEmailLog(row, reference)).filter((log) => log !== null);
          return { logs, received: rows.length };
        },
      });
    } catch (error) {
      if (error instanceof TieOverflowError) {
        throw new UpstreamFailure('UPSTREAM_BAD_RESPONSE', 'INFOBIP', `INFOBIP: ${error.message}`);
      }
      throw error;
    }
  }

  private async newestLog(ref: string): Promise<CampaignModel | null> {
    const rows = await this.client.getLogs({ campaignReferenceId: ref, limit: 1 }, this.scope.signal);
    const newest = rows[0] ? toEmailLog(rows[0], ref) : null;
    return newest ? toCampaign(ref, newest) : null;
  }
}

function checkWindow(filter: EmailLogFilterModel): void {
  const oldest = Date.now() - IB_LOG_RETENTION_MS - RETENTION_SLACK_MS;
  for (const name of ['sentSince', 'sentUntil'] as const) {
    const value = filter[name];
    if (value && value.getTime() < oldest) {
      throw new InvalidArgument(`filter.${name} ${value.toISOString()} is more than 48 hours ago: Infobip keeps email logs for 48 hours only`, `filter.${name}`);
    }
  }
  if (filter.sentSince && filter.sentUntil && filter.sentSince > filter.sentUntil) {
    throw new InvalidArgument('filter.sentSince must not be after filter.sentUntil', 'filter.sentSince');
  }
}

/** The largest epoch milliseconds a Date holds (ECMAScript: ±8.64e15). */
const MAX_DATE_MS = 8.64e15;

/** Cursor JSON of a walk position: `[sentAt epoch ms, messageIds returned at that instant]`. */
const EMAIL_LOG_POSITIONS: PositionCodec<LogWalkPosition> = {
  write: (position) => [position.at, position.seen],
  read(value) {
    // An instant a Date can hold (the next request ends its window 1 ms after it), and no more ids
    // at that instant than one request returns: a forged cursor is refused, not sent on.
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      Number.isInteger(value[0]) &&
      Math.abs(value[0]) < MAX_DATE_MS &&
      Array.isArray(value[1]) &&
      value[1].length <= IB_MAX_LIMIT &&
      value[1].every((id: unknown) => typeof id === 'string')
    ) {
      return { at: value[0] as number, seen: value[1] as string[] };
    }
    return null;
  },
};
