import { seededRandom } from '../simulatorServer.js';
import type { MigmaCampaign, MigmaLogRow } from './wire.js';

/** What the simulator serves: one project's campaigns (newest first) and each campaign's log rows (newest first). */
export interface MigmaSimulatorData {
  projectId: string;
  campaigns: MigmaCampaign[];
  logs: Record<string, MigmaLogRow[]>;
}

const FIRST_NAMES = ['ana', 'ben', 'chloe', 'dev', 'emma', 'femi', 'gita', 'hugo', 'ines', 'jon', 'kira', 'liam', 'mona', 'nils', 'olu'];
const LAST_NAMES = ['smith', 'naidoo', 'garcia', 'okafor', 'muller', 'rossi', 'kim', 'dubois', 'silva', 'patel'];
const DOMAINS = ['gmail.com', 'outlook.com', 'yahoo.com', 'icloud.com', 'proton.me', 'acme.io', 'example.org'];
/** Row statuses and their weights: every row status and logs filter value docs/providers/migma.md names. */
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
