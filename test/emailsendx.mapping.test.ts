import { describe, expect, it } from 'vitest';
import { rate } from '../src/domain/campaign.js';
import { toCampaign, toCampaignStats, toCampaignStatus, toUpstreamStatus } from '../src/providers/emailsendx/mapping.js';
import { parseProviderDate, providerTime } from '../src/providers/wireValues.js';

describe('EmailSendX mapping', () => {
  it('maps the documented campaign object to the domain model', () => {
    const campaign = toCampaign({
      id: 'clx_camp_april_nl_id',
      name: 'April Newsletter',
      subject: "What's new this April 🌱",
      status: 'sent',
      scheduledAt: null,
      sentAt: '2026-04-15T10:00:00Z',
      totalRecipients: 5420,
      createdAt: '2026-04-10T09:00:00Z',
    });
    expect(campaign).toEqual({
      provider: 'EMAILSENDX',
      providerId: 'clx_camp_april_nl_id',
      name: 'April Newsletter',
      subject: "What's new this April 🌱",
      status: 'SENT',
      providerStatus: 'sent',
      scheduledAt: null,
      sentAt: new Date('2026-04-15T10:00:00.000Z'),
      createdAt: new Date('2026-04-10T09:00:00.000Z'),
      totalRecipients: 5420,
    });
  });

  it('maps every documented status, keeps unknown ones as UNKNOWN', () => {
    expect(['draft', 'scheduled', 'sending', 'sent', 'paused', 'cancelled'].map(toCampaignStatus)).toEqual([
      'DRAFT', 'SCHEDULED', 'SENDING', 'SENT', 'PAUSED', 'CANCELLED',
    ]);
    expect(toCampaignStatus('archived')).toBe('UNKNOWN');
    expect(toCampaignStatus(undefined)).toBe('UNKNOWN');
    expect(toUpstreamStatus('PAUSED')).toBe('paused');
    expect(toUpstreamStatus('FAILED')).toBeNull();
  });

  it('maps opened/clicked/bounced/complained to opens/clicks/bounces/complaints; missing counts stay null', () => {
    const stats = toCampaignStats({ sent: 5420, delivered: 5388, opened: 2168, uniqueOpens: 1945, clicked: 542, uniqueClicks: 487, bounced: 32, complained: 4 });
    expect(stats).toMatchObject({ source: 'PROVIDER', opens: 2168, clicks: 542, bounces: 32, complaints: 4, unsubscribes: null, botOpens: null });
  });

  it('rates are fractions, null on a missing count or a zero denominator', () => {
    expect(rate(1945, 5388)).toBeCloseTo(0.361, 3);
    expect(rate(5, 0)).toBeNull();
    expect(rate(null, 10)).toBeNull();
  });

  it('parses provider timestamps leniently', () => {
    expect(parseProviderDate('2021-01-02T01:00:00.440+0000')?.toISOString()).toBe('2021-01-02T01:00:00.440Z');
    expect(parseProviderDate('2021-01-02T03:00:00+02:00')?.toISOString()).toBe('2021-01-02T01:00:00.000Z');
    expect(parseProviderDate('2021-01-02T01:00:00')?.toISOString()).toBe('2021-01-02T01:00:00.000Z');
    expect(parseProviderDate(8.64e15 + 1)).toBeNull();
    expect(parseProviderDate('not a date')).toBeNull();
    expect(parseProviderDate('')).toBeNull();
  });

  it('reads the same instants as epoch milliseconds without a Date (providerTime)', () => {
    const values = ['2026-06-01T09:00:00Z', '2026-06-01T09:00:00.123Z', '2021-01-02T01:00:00.440+0000', '2021-01-02T03:00:00+02:00', '2021-01-02T01:00:00', ' 2021-01-02T01:00:00Z ', 1_700_000_000_000.7, 8.64e15 + 1, Number.NaN, 'not a date', '', null, undefined];
    for (const value of values) expect(providerTime(value)).toBe(parseProviderDate(value)?.getTime() ?? null);
    expect(providerTime('2026-06-01T09:00:00Z')).toBe(Date.UTC(2026, 5, 1, 9));
    expect(providerTime(1_700_000_000_000.7)).toBe(1_700_000_000_000);
    expect(providerTime('yesterday')).toBeNull();
  });
});
