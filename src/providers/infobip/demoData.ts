import { seededRandom } from '../simulatorServer.js';
import type { IbLogRow } from './wire.js';

/** A log the simulator holds: the row it serves and the campaign reference it was sent with (rows do not show it). */
export interface SimulatedEmailLog {
  row: IbLogRow;
  campaignReferenceId?: string;
}

const STATUSES: Record<string, NonNullable<IbLogRow['status']>> = {
  DELIVERED: { groupId: 3, groupName: 'DELIVERED', id: 5, name: 'DELIVERED_TO_HANDSET', description: 'Message delivered to handset', action: null },
  PENDING: { groupId: 1, groupName: 'PENDING', id: 26, name: 'PENDING_ACCEPTED', description: 'Message sent to next instance', action: null },
  UNDELIVERABLE: { groupId: 2, groupName: 'UNDELIVERABLE', id: 4, name: 'UNDELIVERABLE_NOT_DELIVERED', description: 'Message sent not delivered', action: 'Check the recipient address' },
  REJECTED: { groupId: 5, groupName: 'REJECTED', id: 6, name: 'REJECTED_NETWORK', description: 'Network is forbidden', action: 'Contact your account manager' },
  EXPIRED: { groupId: 4, groupName: 'EXPIRED', id: 15, name: 'EXPIRED_EXPIRED', description: 'Message expired', action: null },
  OK: { groupId: 0, groupName: 'OK', id: 7, name: 'MESSAGE_ACCEPTED', description: 'Message accepted', action: null },
};

const ERRORS: Record<string, NonNullable<IbLogRow['error']>> = {
  NONE: { groupId: 0, groupName: 'OK', id: 0, name: 'NO_ERROR', description: 'No Error', permanent: false },
  UNDELIVERABLE: { groupId: 1, groupName: 'HANDSET_ERRORS', id: 5005, name: 'EC_MAILBOX_UNAVAILABLE', description: 'The recipient mailbox does not exist', permanent: true },
  REJECTED: { groupId: 2, groupName: 'USER_ERRORS', id: 5010, name: 'EC_SENDER_REJECTED', description: 'The sender domain is not verified', permanent: true },
  EXPIRED: { groupId: 3, groupName: 'OPERATOR_ERRORS', id: 5020, name: 'EC_TIMEOUT', description: 'The recipient server did not answer in time', permanent: false },
};

const CAMPAIGNS = [
  { reference: 'black-friday-2026', from: 'Acme Store <deals@acme.example>', subject: 'Black Friday starts now', bulks: 5, perBulk: 260 },
  { reference: 'weekly-digest-47', from: 'Acme Weekly <digest@acme.example>', subject: 'Your week at Acme', bulks: 4, perBulk: 220 },
  { reference: 'onboarding-day-3', from: 'Acme Team <hello@acme.example>', subject: 'Three tips for your first week', bulks: 6, perBulk: 70 },
  { reference: 'winback-q4', from: 'Acme Store <deals@acme.example>', subject: 'We miss you: 20% off', bulks: 3, perBulk: 160 },
];

/**
 * About 3000 demo logs over the last 47 hours before `now`, across four campaign references plus
 * some transactional mail without one. Bulk sends share sentAt in runs of up to 40 rows (ties),
 * every status group occurs with error objects on failures, some rows lack optional fields, and
 * every third bulk writes timestamps as `...440+0000` instead of `...123Z` (both documented).
 */
export function infobipDemoLogs(now: number): SimulatedEmailLog[] {
  const random = seededRandom(0x1bf);
  const logs: SimulatedEmailLog[] = [];
  let bulkNumber = 0;
  const pickStatus = (): string => {
    const r = random();
    return r < 0.8 ? 'DELIVERED' : r < 0.87 ? 'PENDING' : r < 0.92 ? 'UNDELIVERABLE' : r < 0.95 ? 'REJECTED' : r < 0.98 ? 'EXPIRED' : 'OK';
  };
  const addBulk = (start: number, size: number, campaign: (typeof CAMPAIGNS)[number] | null) => {
    const bulkId = `bulk-${(0x5a00 + bulkNumber).toString(16)}-${bulkNumber}`;
    const plusZero = bulkNumber % 3 === 2;
    bulkNumber++;
    let time = start;
    let left = 0;
    for (let i = 0; i < size; i++) {
      if (left === 0) {
        // A new instant: bulk sends go out in bursts that share one millisecond.
        time += 1 + Math.floor(random() * 400);
        left = random() < 0.35 ? 1 : 2 + Math.floor(random() * 39);
      }
      left--;
      const status = pickStatus();
      const failed = status === 'UNDELIVERABLE' || status === 'REJECTED' || status === 'EXPIRED';
      const n = logs.length;
      const row: IbLogRow = {
        applicationId: n % 5 === 0 ? undefined : campaign ? 'marketing-app' : 'transactional-app',
        entityId: n % 7 === 0 ? undefined : campaign ? `entity-${campaign.reference.split('-')[0]}` : 'entity-system',
        bulkId,
        messageId: `msg-${(0x100000 + n).toString(36)}-${n}`,
        to: `user${(n * 7919) % 100_000}@example.${['com', 'org', 'net'][n % 3]}`,
        from: campaign?.from ?? 'Acme Accounts <no-reply@acme.example>',
        text: n % 11 === 0 ? undefined : campaign?.subject ?? 'Your password reset link',
        sentAt: timestamp(time, plusZero),
        doneAt: status === 'PENDING' ? undefined : timestamp(time + 500 + Math.floor(random() * 90_000), plusZero),
        messageCount: 1,
        price: n % 13 === 0 ? undefined : { pricePerMessage: campaign ? 0.0008 : 0.0012, currency: 'EUR' },
        status: STATUSES[status],
        error: failed ? ERRORS[status] : status === 'PENDING' ? undefined : ERRORS.NONE,
      };
      logs.push(campaign ? { row, campaignReferenceId: campaign.reference } : { row });
    }
  };
  const hour = 3_600_000;
  CAMPAIGNS.forEach((campaign, c) => {
    for (let b = 0; b < campaign.bulks; b++) {
      addBulk(now - 46 * hour + c * 2 * hour + b * 7 * hour, campaign.perBulk, campaign);
    }
  });
  for (let t = 0; t < 12; t++) addBulk(now - 45 * hour + t * 3.7 * hour, 8, null);
  return logs;
}

function timestamp(time: number, plusZero: boolean): string {
  const iso = new Date(time).toISOString();
  return plusZero ? iso.replace('Z', '+0000') : iso;
}
