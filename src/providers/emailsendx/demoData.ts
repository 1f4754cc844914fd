import { seededRandom } from '../simulatorServer.js';
import type { EsxCampaign } from './wire.js';



const TOPICS = [
  'Product Update', 'Weekly Digest', 'Webinar Invite', 'Spring Sale', 'Onboarding Tips', 'Customer Story',
  'Feature Spotlight', 'Holiday Hours', 'Survey', 'Re-engagement', 'Release Notes', 'Partner News',
];

/**
 * 64 campaigns, newest first: the two documented newsletters with their published figures, then
 * generated ones in every status (some sent without a schedule, drafts without stats).
 */
export function emailSendXDemoCampaigns(): EsxCampaign[] {
  const documented: EsxCampaign[] = [
    {
      id: 'clx_camp_april_nl_id',
      name: 'April Newsletter',
      subject: "What's new this April 🌱",
      status: 'sent',
      scheduledAt: null,
      sentAt: '2026-04-15T10:00:00Z',
      totalRecipients: 5420,
      stats: { sent: 5420, delivered: 5388, opened: 2168, uniqueOpens: 1945, clicked: 542, uniqueClicks: 487, bounced: 32, complained: 4, unsubscribed: 18 },
      createdAt: '2026-04-10T09:00:00Z',
    },
    {
      id: 'clx_camp_march_nl_id',
      name: 'March Newsletter',
      subject: 'Spring into better workflows',
      status: 'sent',
      scheduledAt: '2026-03-18T10:00:00Z',
      sentAt: '2026-03-18T10:02:00Z',
      totalRecipients: 5180,
      stats: { sent: 5180, delivered: 5151, opened: 2020, uniqueOpens: 1804, clicked: 498, uniqueClicks: 441, bounced: 29, complained: 2, unsubscribed: 14 },
      createdAt: '2026-03-10T10:00:00Z',
    },
  ];
  const random = seededRandom(0xe5a);
  const generated: EsxCampaign[] = [];
  const statusCycle = ['sent', 'sent', 'sent', 'sent', 'sending', 'scheduled', 'draft', 'paused', 'sent', 'cancelled'];
  const start = Date.parse('2026-03-01T09:00:00Z');
  for (let i = 0; i < 62; i++) {
    const status = statusCycle[i % statusCycle.length]!;
    const created = new Date(start - i * 2.5 * 86_400_000 - Math.floor(random() * 36e5));
    const scheduled = i % 3 === 0 ? null : new Date(created.getTime() + 2 * 86_400_000);
    const sentAt = status === 'sent' ? new Date((scheduled ?? created).getTime() + 120_000) : null;
    const recipients = 800 + Math.floor(random() * 9000);
    const hasStats = status === 'sent' || status === 'sending' || status === 'paused' || status === 'cancelled';
    const sent = status === 'sent' ? recipients : Math.floor(recipients * random());
    const delivered = sent - Math.floor(sent * (0.002 + random() * 0.02));
    const uniqueOpens = Math.floor(delivered * (0.18 + random() * 0.3));
    const uniqueClicks = Math.floor(uniqueOpens * (0.08 + random() * 0.25));
    generated.push({
      id: `clx_camp_${(0x1f00 + i).toString(36)}_${i}`,
      name: `${TOPICS[i % TOPICS.length]} #${62 - i}`,
      subject: `${TOPICS[i % TOPICS.length]}: issue ${62 - i}`,
      status,
      scheduledAt: scheduled?.toISOString().replace('.000Z', 'Z') ?? null,
      sentAt: sentAt?.toISOString().replace('.000Z', 'Z') ?? null,
      totalRecipients: recipients,
      stats: hasStats
        ? {
            sent,
            delivered,
            opened: Math.floor(uniqueOpens * (1.05 + random() * 0.3)),
            uniqueOpens,
            clicked: Math.floor(uniqueClicks * (1.05 + random() * 0.2)),
            uniqueClicks,
            bounced: sent - delivered,
            complained: Math.floor(delivered * random() * 0.001),
            unsubscribed: Math.floor(delivered * random() * 0.004),
          }
        : null,
      createdAt: created.toISOString().replace('.000Z', 'Z'),
    });
  }
  return [...documented, ...generated];
}
