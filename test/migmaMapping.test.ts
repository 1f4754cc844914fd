import { describe, expect, it } from 'vitest';
import { toCampaign, toCampaignStats, toCampaignStatus, toRecipientLog, toUpstreamStatuses } from '../src/providers/migma/mapping.js';

describe('Migma mapping', () => {
  it('maps every Migma status, and anything else to UNKNOWN', () => {
    expect(
      ['draft', 'pending_review', 'scheduled', 'sending', 'throttled', 'ab_testing', 'sent', 'failed', 'cancelled', 'paused', '', null].map(
        toCampaignStatus,
      ),
    ).toEqual(['DRAFT', 'SCHEDULED', 'SCHEDULED', 'SENDING', 'SENDING', 'SENDING', 'SENT', 'FAILED', 'CANCELLED', 'UNKNOWN', 'UNKNOWN', 'UNKNOWN']);
    expect(toUpstreamStatuses('SENDING')).toEqual(['sending', 'throttled', 'ab_testing']);
    expect(toUpstreamStatuses('PAUSED')).toEqual([]);
  });

  it('takes sentAt, else completedAt, and estimatedRecipients as totalRecipients', () => {
    const base = { id: 'c1', status: 'sent', estimatedRecipients: 42, createdAt: '2026-01-01T00:00:00Z' };
    expect(toCampaign({ ...base, sentAt: '2026-01-02T00:00:00Z', completedAt: '2026-01-03T00:00:00Z' }).sentAt?.toISOString()).toBe(
      '2026-01-02T00:00:00.000Z',
    );
    const fallback = toCampaign({ ...base, sentAt: null, completedAt: '2026-01-03T00:00:00Z' });
    expect(fallback).toMatchObject({ provider: 'MIGMA', providerId: 'c1', status: 'SENT', providerStatus: 'sent', totalRecipients: 42, name: null });
    expect(fallback.sentAt?.toISOString()).toBe('2026-01-03T00:00:00.000Z');
  });

  it('drops Migma’s rates and reports no complaints', () => {
    const stats = toCampaignStats({
      totalSent: 10, totalDelivered: 9, uniqueOpens: 4, totalOpens: 6, uniqueClicks: 2, totalClicks: 3,
      unsubscribes: 1, bounces: 1, openRate: 44.4, clickRate: 22.2, lastUpdated: '2026-01-01T00:00:00Z',
    });
    expect(stats).toMatchObject({ source: 'PROVIDER', sent: 10, opens: 6, clicks: 3, complaints: null, botOpens: null, mppOpens: null });
    expect(Object.values(stats)).not.toContain(44.4);
  });

  it('defaults missing counts of a log row to 0 and missing details to null', () => {
    const log = toRecipientLog({ to_email: 'a@b.c', status: 'sent', created_at: '2026-01-01T00:00:00Z' }, 'c1');
    // Its fields are prototype getters (read off the wire row when read): compare what a resolver reads.
    const fields = ['campaignProvider', 'campaignId', 'toEmail', 'subject', 'status', 'openedAt', 'clickedAt', 'openCount', 'clickCount', 'bounceType', 'complaintType', 'createdAt'] as const;
    const read = Object.fromEntries(fields.map((key) => [key, log[key]]));
    expect(read).toEqual({
      campaignProvider: 'MIGMA', campaignId: 'c1', toEmail: 'a@b.c', subject: null, status: 'sent', openedAt: null, clickedAt: null,
      openCount: 0, clickCount: 0, bounceType: null, complaintType: null, createdAt: new Date('2026-01-01T00:00:00Z'),
    });
  });
});
