import {
  MinuteWindow,
  bearerToken,
  seededRandom,
  serveSimulator,
  type RunningSimulator,
  type SimulatorRequest,
  type SimulatorResponse,
} from '../simulatorServer.js';
import {
  MIGMA_CAMPAIGN_STATUSES,
  MIGMA_LIST_MAX_LIMIT,
  MIGMA_LOG_MAX_LIMIT,
  MIGMA_LOG_STATUS_FILTERS,
  type MigmaCampaign,
  type MigmaLogRow,
  type MigmaStats,
} from './wire.js';

/** What the simulator serves: one project's campaigns (newest first) and each campaign's log rows (newest first). */
export interface MigmaSimulatorData {
  projectId: string;
  campaigns: MigmaCampaign[];
  logs: Record<string, MigmaLogRow[]>;
}

export interface MigmaSimulatorOptions {
  apiKey: string;
  port?: number;
  /** Default: {@link migmaDemoData}. */
  data?: MigmaSimulatorData;
  /** Requests per minute per key before 429 (docs: 10 on the free plan to 100 on pro); default 100. */
  rateLimitPerMinute?: number;
}

/**
 * Simulates Migma's campaign endpoints as documented (NOTES.md and the two doc pages), over real
 * HTTP: `GET /v1/campaigns`, `/v1/campaigns/{id}`, `/v1/campaigns/{id}/stats`, `/v1/campaigns/{id}/logs`.
 * Stats are computed from the log rows, with openRate/clickRate on the 0-100 scale the SDK comments
 * describe; campaigns with no log rows have no stats (404).
 */
export function startMigmaSimulator(options: MigmaSimulatorOptions): Promise<RunningSimulator> {
  const data = options.data ?? migmaDemoData();
  const window = new MinuteWindow(options.rateLimitPerMinute ?? 100);
  return serveSimulator(
    (request) => {
      const key = bearerToken(request.headers);
      if (!key) return failure(401, 'Missing API key. Use Authorization: Bearer <key>', 'UNAUTHORIZED');
      if (key !== options.apiKey) return failure(401, 'Invalid API key', 'UNAUTHORIZED');
      const limit = window.hit(key);
      if (!limit.allowed) {
        return { ...failure(429, 'Rate limit exceeded', 'RATE_LIMIT_EXCEEDED'), headers: { 'Retry-After': String(limit.resetSeconds) } };
      }
      return route(request, data);
    },
    { apiKey: options.apiKey, port: options.port },
  );
}

function route(request: SimulatorRequest, data: MigmaSimulatorData): SimulatorResponse {
  const match = /^\/v1\/campaigns(?:\/([^/]+)(?:\/(stats|logs))?)?$/.exec(request.path);
  if (!match) return failure(404, 'Not found', 'NOT_FOUND');
  if (request.method !== 'GET') return failure(405, 'Method not allowed', 'METHOD_NOT_ALLOWED');
  const [, rawId, sub] = match;
  if (rawId === undefined) return listCampaigns(request.query, data);
  const id = decodeURIComponent(rawId);
  const campaign = data.campaigns.find((c) => c.id === id);
  if (!campaign) return failure(404, 'Campaign not found', 'NOT_FOUND');
  if (sub === 'stats') {
    const rows = data.logs[id] ?? [];
    return rows.length ? ok(statsOf(rows)) : failure(404, 'No stats for this campaign yet', 'NOT_FOUND');
  }
  if (sub === 'logs') return campaignLogs(request.query, data.logs[id] ?? []);
  return ok(campaign);
}

function listCampaigns(q: URLSearchParams, data: MigmaSimulatorData): SimulatorResponse {
  const projectId = q.get('projectId');
  if (!projectId) return failure(400, 'projectId is required', 'VALIDATION_ERROR');
  const page = q.has('page') ? Number(q.get('page')) : 1;
  const limit = q.has('limit') ? Number(q.get('limit')) : 20;
  if (!Number.isInteger(page) || page < 1) return failure(400, 'page must be a positive integer', 'VALIDATION_ERROR');
  if (!Number.isInteger(limit) || limit < 1 || limit > MIGMA_LIST_MAX_LIMIT) {
    return failure(400, `limit must be between 1 and ${MIGMA_LIST_MAX_LIMIT}`, 'VALIDATION_ERROR');
  }
  const status = q.get('status');
  if (status !== null && !(MIGMA_CAMPAIGN_STATUSES as readonly string[]).includes(status)) {
    return failure(400, `status must be one of ${MIGMA_CAMPAIGN_STATUSES.join(', ')}`, 'VALIDATION_ERROR');
  }
  const matching = data.campaigns.filter((c) => c.projectId === projectId && (status === null || c.status === status));
  return ok({ campaigns: matching.slice((page - 1) * limit, page * limit), total: matching.length });
}

function campaignLogs(q: URLSearchParams, rows: MigmaLogRow[]): SimulatorResponse {
  const limit = q.has('limit') ? Number(q.get('limit')) : 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > MIGMA_LOG_MAX_LIMIT) {
    return failure(400, `limit must be between 1 and ${MIGMA_LOG_MAX_LIMIT}`, 'VALIDATION_ERROR');
  }
  const status = q.get('status');
  // `complained` is what the SDK sends for spam_report (NOTES.md); both are accepted.
  if (status !== null && status !== 'complained' && !(MIGMA_LOG_STATUS_FILTERS as readonly string[]).includes(status)) {
    return failure(400, `status must be one of ${MIGMA_LOG_STATUS_FILTERS.join(', ')}`, 'VALIDATION_ERROR');
  }
  const rowStatus = status === 'spam_report' ? 'complained' : status;
  const matching = rowStatus === null ? rows : rows.filter((row) => row.status === rowStatus);
  const cursor = q.get('cursor');
  const offset = cursor === null ? 0 : readLogCursor(cursor);
  if (offset === null) return failure(400, 'Invalid cursor', 'INVALID_CURSOR');
  const emails = matching.slice(offset, offset + limit);
  const end = offset + emails.length;
  const hasMore = end < matching.length;
  return ok({ emails, nextCursor: hasMore ? logCursor(end) : null, hasMore });
}

// The simulator's own opaque cursor: base64url of the offset of the next row.
function logCursor(offset: number): string {
  return Buffer.from(`o:${offset}`, 'utf8').toString('base64url');
}

function readLogCursor(cursor: string): number | null {
  const match = /^o:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
}

/** Stats consistent with the rows; openRate/clickRate in percent, as the SDK comments say (NOTES.md). */
export function statsOf(rows: MigmaLogRow[]): MigmaStats {
  const delivered = rows.filter((r) => ['delivered', 'opened', 'clicked', 'complained'].includes(r.status)).length;
  const uniqueOpens = rows.filter((r) => r.opened_at).length;
  const uniqueClicks = rows.filter((r) => r.clicked_at).length;
  const totalOpens = rows.reduce((sum, r) => sum + (r.open_count ?? 0), 0);
  const totalClicks = rows.reduce((sum, r) => sum + (r.click_count ?? 0), 0);
  const newest = rows.reduce((max, r) => Math.max(max, Date.parse(r.clicked_at ?? r.opened_at ?? r.created_at)), 0);
  const percent = (n: number, d: number) => (d ? Math.round((n / d) * 1000) / 10 : 0);
  return {
    totalSent: rows.filter((r) => r.status !== 'suppressed').length,
    totalDelivered: delivered,
    uniqueOpens,
    totalOpens,
    uniqueClicks,
    totalClicks,
    unsubscribes: Math.floor(uniqueOpens * 0.04),
    bounces: rows.filter((r) => r.status === 'bounced').length,
    openRate: percent(uniqueOpens, delivered),
    clickRate: percent(uniqueClicks, delivered),
    lastUpdated: new Date(newest + 15 * 60_000).toISOString(),
    botOpens: Math.floor(totalOpens * 0.05),
    botClicks: Math.floor(totalClicks * 0.08),
    mppOpens: Math.floor(uniqueOpens * 0.3),
  };
}

function ok(data: unknown): SimulatorResponse {
  return { status: 200, body: { success: true, data } };
}

function failure(status: number, error: string, code: string): SimulatorResponse {
  return { status, body: { success: false, error, code } };
}

const FIRST_NAMES = ['ana', 'ben', 'chloe', 'dev', 'emma', 'femi', 'gita', 'hugo', 'ines', 'jon', 'kira', 'liam', 'mona', 'nils', 'olu'];
const LAST_NAMES = ['smith', 'naidoo', 'garcia', 'okafor', 'muller', 'rossi', 'kim', 'dubois', 'silva', 'patel'];
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'acme.io', 'example.org'];
/** Row statuses and their weights: every status the docs and NOTES.md name. */
const ROW_STATUSES: Array<[string, number]> = [
  ['sent', 0.05],
  ['delivered', 0.33],
  ['opened', 0.25],
  ['clicked', 0.15],
  ['bounced', 0.08],
  ['complained', 0.04],
  ['suppressed', 0.1],
];

/**
 * `count` deterministic log rows of one campaign, newest first: created a few seconds apart
 * after `sentAt`, engagement after that.
 */
export function migmaDemoLogRows(campaignId: string, subject: string, sentAt: string, count: number, seed: number): MigmaLogRow[] {
  const random = seededRandom(seed);
  const start = Date.parse(sentAt);
  const rows: MigmaLogRow[] = [];
  for (let i = 0; i < count; i++) {
    let pick = random();
    let status = ROW_STATUSES[ROW_STATUSES.length - 1]![0];
    for (const [value, weight] of ROW_STATUSES) {
      if (pick < weight) {
        status = value;
        break;
      }
      pick -= weight;
    }
    const created = start + i * 3_000 + Math.floor(random() * 2_000);
    const opened = status === 'opened' || status === 'clicked' || (status === 'complained' && random() < 0.5);
    const clicked = status === 'clicked';
    const openedAt = opened ? created + Math.floor((5 + random() * 600) * 60_000) : null;
    const email = `${FIRST_NAMES[i % FIRST_NAMES.length]}.${LAST_NAMES[Math.floor(i / FIRST_NAMES.length) % LAST_NAMES.length]}${i}@${DOMAINS[Math.floor(random() * DOMAINS.length)]}`;
    rows.push({
      to_email: email,
      subject,
      status,
      opened_at: openedAt === null ? null : new Date(openedAt).toISOString(),
      clicked_at: clicked && openedAt !== null ? new Date(openedAt + Math.floor((1 + random() * 30) * 60_000)).toISOString() : null,
      open_count: opened ? 1 + Math.floor(random() * 4) : 0,
      click_count: clicked ? 1 + Math.floor(random() * 3) : 0,
      bounce_type: status === 'bounced' ? (random() < 0.6 ? 'hard' : 'soft') : null,
      complaint_type: status === 'complained' ? 'abuse' : null,
      campaign_id: campaignId,
      created_at: new Date(created).toISOString(),
    });
  }
  return rows.reverse();
}

/**
 * The demo project `proj_demo`: 11 campaigns in every Migma status (and one value the gateway does
 * not know), newest first; the spring launch has 360 log rows of every status, others a few dozen
 * or none (not sent yet: no stats).
 */
export function migmaDemoData(): MigmaSimulatorData {
  const projectId = 'proj_demo';
  const spec: Array<[id: string, name: string, subject: string, status: string, created: string, logRows: number]> = [
    ['cmp_mg_black_friday', 'Black Friday Preview', 'Early access: 30% off everything', 'scheduled', '2026-11-18T09:00:00Z', 0],
    ['cmp_mg_nov_digest', 'November Digest', 'Your November roundup', 'pending_review', '2026-11-15T08:30:00Z', 0],
    ['cmp_mg_winter_teaser', 'Winter Collection Teaser', 'Something warm is coming', 'draft', '2026-11-12T14:00:00Z', 0],
    ['cmp_mg_loyalty_ab', 'Loyalty Programme A/B', 'You have points waiting', 'ab_testing', '2026-11-08T10:00:00Z', 24],
    ['cmp_mg_webinar', 'Webinar Reminder', 'Starts in one hour: scaling email', 'sending', '2026-11-05T12:00:00Z', 40],
    ['cmp_mg_reactivation', 'Reactivation Wave 2', 'We miss you', 'throttled', '2026-11-01T09:00:00Z', 30],
    ['cmp_mg_october_nl', 'October Newsletter', 'October at Migma: new templates', 'sent', '2026-10-20T09:00:00Z', 48],
    ['cmp_mg_price_change', 'Pricing Update', 'An update to your plan', 'cancelled', '2026-10-10T16:00:00Z', 18],
    ['cmp_mg_survey', 'Customer Survey', 'Two minutes to tell us how we did', 'failed', '2026-10-02T11:00:00Z', 12],
    ['cmp_mg_spring_launch', 'Spring Launch', 'Meet the spring line 🌷', 'sent', '2026-09-15T09:00:00Z', 360],
    ['cmp_mg_legacy_import', 'Imported Legacy Campaign', 'Welcome to our newsletter', 'archived', '2026-08-01T09:00:00Z', 0],
  ];
  const campaigns: MigmaCampaign[] = [];
  const logs: Record<string, MigmaLogRow[]> = {};
  spec.forEach(([id, name, subject, status, created, logRows], index) => {
    const createdMs = Date.parse(created);
    const scheduledAt = status === 'draft' ? null : new Date(createdMs + 2 * 86_400_000).toISOString();
    const started = ['sending', 'throttled', 'ab_testing', 'sent', 'failed', 'cancelled'].includes(status);
    // The October newsletter has only completedAt: the gateway falls back to it for sentAt.
    const sentAt = status === 'sent' && id !== 'cmp_mg_october_nl' ? new Date(createdMs + 2 * 86_400_000 + 120_000).toISOString() : null;
    campaigns.push({
      id,
      projectId,
      name,
      subject,
      status,
      scheduledAt,
      sentAt,
      completedAt: status === 'sent' ? new Date(createdMs + 2 * 86_400_000 + 30 * 60_000).toISOString() : null,
      estimatedRecipients: logRows || 500 + index * 137,
      createdAt: new Date(createdMs).toISOString(),
      updatedAt: new Date(createdMs + 3 * 86_400_000).toISOString(),
    });
    if (started && logRows > 0) {
      logs[id] = migmaDemoLogRows(id, subject, scheduledAt ?? created, logRows, 0x319a + index);
    }
  });
  return { projectId, campaigns, logs };
}
