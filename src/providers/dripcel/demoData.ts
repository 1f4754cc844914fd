import { seededRandom } from '../simulatorServer.js';
import type { DripcelCampaign, DripcelSendLog } from './wire.js';

/** A simulated send log: `destinations` is the list; the API answers its length unless asked for the list. */
export interface SimulatedSendLog extends Omit<DripcelSendLog, 'destinations'> {
  campaign_id: string;
  startDeliveryAt: string;
  destinations: string[];
}

export interface DripcelDemoData {
  /** In `GET /campaigns` order. */
  campaigns: DripcelCampaign[];
  /** Newest first by startDeliveryAt, the order searches answer in. */
  sendLogs: SimulatedSendLog[];
}

const CAMPAIGNS: Array<{ name: string; logs: number; status?: string; active?: boolean; bulk: boolean }> = [
  { name: 'Appointment reminders', logs: 160, active: true, bulk: false },
  { name: 'Black Friday flash sale', logs: 24, status: 'completed', bulk: true },
  { name: 'Loyalty points expiry', logs: 12, status: 'active', active: true, bulk: true },
  { name: 'Welcome series', logs: 7, active: true, bulk: false },
  { name: 'Payment due notice', logs: 3, active: false, bulk: true },
  { name: 'Winter data bundles', logs: 0, status: 'draft', bulk: true },
  { name: 'Customer survey follow-up', logs: 45, status: 'paused', active: false, bulk: true },
  { name: 'Store opening: Sandton', logs: 9, status: 'completed', active: false, bulk: true },
];

const MESSAGES = [
  'Hi {{contact.firstname}}, this is a reminder of your appointment tomorrow. Reply STOP to opt out.',
  'FLASH SALE: up to 50% off today only at {{shop.url}}. Reply STOP to opt out.',
  'Hi {{contact.firstname}}, your {{contact.points}} loyalty points expire soon. Use them at any store.',
  'Welcome to the club, {{contact.firstname}}! Save this number for exclusive offers.',
  'Your account is due for payment on the 25th. Pay at {{pay.url}} to avoid interruption.',
];

const PREFIXES = ['82', '83', '72', '73', '84', '61', '71', '76', '79', '60'];

/**
 * Eight campaigns with 0 to 160 send logs (260 in all), newest first: bulk sends reach 20-400 cell
 * numbers, triggered ones one to three. Ids are 24-hex ObjectIds, cell numbers South African (27...).
 */
export function dripcelDemoData(): DripcelDemoData {
  const random = seededRandom(0xd41bce1);
  const objectId = (seconds: number) =>
    Math.floor(seconds).toString(16).padStart(8, '0') +
    Array.from({ length: 16 }, () => Math.floor(random() * 16).toString(16)).join('');
  const start = Date.parse('2026-01-05T07:00:00.000Z');
  const campaigns: DripcelCampaign[] = [];
  const sendLogs: SimulatedSendLog[] = [];
  CAMPAIGNS.forEach((spec, c) => {
    const created = start + c * 9 * 86_400_000 + Math.floor(random() * 36e5);
    const campaign: DripcelCampaign = { _id: objectId(created / 1000), name: spec.name, createdAt: new Date(created).toISOString() };
    if (spec.status !== undefined) campaign.status = spec.status;
    if (spec.active !== undefined) campaign.active = spec.active;
    campaign.updatedAt = new Date(created + 86_400_000 * (1 + c)).toISOString();
    campaigns.push(campaign);
    for (let i = 0; i < spec.logs; i++) {
      const at = created + 3_600_000 + i * (spec.bulk ? 2 : 0.5) * 86_400_000 + Math.floor(random() * 8 * 3_600_000);
      const size = spec.bulk ? 20 + Math.floor(random() * 380) : 1 + Math.floor(random() * 3);
      const destinations = Array.from(
        { length: size },
        () => `27${PREFIXES[Math.floor(random() * PREFIXES.length)]}${String(Math.floor(random() * 1e7)).padStart(7, '0')}`,
      );
      sendLogs.push({
        _id: objectId(at / 1000),
        campaign_id: campaign._id!,
        message: MESSAGES[c % MESSAGES.length]!,
        triggeredBy: spec.bulk ? (i % 4 === 0 ? 'schedule' : 'send') : i % 2 === 0 ? 'api' : 'trigger',
        startDeliveryAt: new Date(at).toISOString(),
        destinations,
      });
    }
  });
  sendLogs.sort((a, b) => b.startDeliveryAt.localeCompare(a.startDeliveryAt) || b._id.localeCompare(a._id));
  return { campaigns, sendLogs };
}
