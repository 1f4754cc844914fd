import { describe, expect } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startDemo } from '../src/demo/demoMode.js';
import { readDripcelError } from '../src/providers/dripcel/routes.js';
import { toCampaign, toDerivedStats, toFind, toSendLog } from '../src/providers/dripcel/mapping.js';
import { it } from './support/fixtures.js';

describe('Dripcel mapping', () => {
  it('campaign status: a known `status` wins, else `active` true is SENDING and false SENT; the raw value is kept', () => {
    const id = '5f5a1d8d2e0e4c6c8c0c0c0c';
    const of = (extra: object) => toCampaign({ _id: id, ...extra });
    expect([of({ status: 'Scheduled' }).status, of({ status: 'Scheduled' }).providerStatus]).toEqual(['SCHEDULED', 'Scheduled']);
    expect([of({ status: 'completed', active: true }).status]).toEqual(['SENT']);
    expect([of({ active: true }).status, of({ active: true }).providerStatus]).toEqual(['SENDING', 'active=true']);
    expect([of({ active: false }).status, of({ active: false }).providerStatus]).toEqual(['SENT', 'active=false']);
    expect([of({ status: 'archived', active: true }).status, of({ status: 'archived' }).providerStatus]).toEqual(['UNKNOWN', 'archived']);
    expect([of({}).status, of({}).providerStatus]).toEqual(['UNKNOWN', null]);
    expect(of({ name: 'Promo', createdAt: '2026-02-01T10:00:00.000Z' })).toEqual({
      provider: 'DRIPCEL', providerId: id, name: 'Promo', subject: null, status: 'UNKNOWN', providerStatus: null,
      scheduledAt: null, sentAt: null, createdAt: new Date('2026-02-01T10:00:00.000Z'), totalRecipients: null,
    });
  });

  it('send log: destinations as a count, or as a list whose length is the count', () => {
    const base = { _id: 'a'.repeat(24), campaign_id: 'b'.repeat(24), message: 'Hi', triggeredBy: 'api', startDeliveryAt: '2026-03-01T08:00:00.000Z' };
    expect(toSendLog({ ...base, destinations: 42 })).toEqual({
      provider: 'DRIPCEL', providerId: base._id, campaignId: base.campaign_id, message: 'Hi', triggeredBy: 'api',
      startDeliveryAt: new Date(base.startDeliveryAt), destinationCount: 42, destinations: null,
    });
    expect(toSendLog({ ...base, destinations: ['27821234567', '27731234567'] })).toMatchObject({
      destinationCount: 2, destinations: ['27821234567', '27731234567'],
    });
    expect(toSendLog({ _id: base._id })).toMatchObject({ campaignId: null, destinationCount: null, startDeliveryAt: null });
  });

  it('derived stats sum destination counts; every other count is null', () => {
    const logs = [toSendLog({ _id: '1', destinations: 10 }), toSendLog({ _id: '2', destinations: ['27821234567'] }), toSendLog({ _id: '3' })];
    expect(toDerivedStats(logs)).toMatchObject({ source: 'DERIVED', sent: 11, delivered: null, opens: null, lastUpdated: null });
    expect(toDerivedStats([]).sent).toBe(0);
  });

  it('find: campaign ids as an array and the delivery window as $gte/$lte ISO strings; empty search is {}', () => {
    expect(toFind({ campaignIds: null, startDeliveryFrom: null, startDeliveryTo: null })).toEqual({});
    expect(toFind({ campaignIds: ['x'], startDeliveryFrom: new Date('2026-01-01T02:00:00+02:00'), startDeliveryTo: null })).toEqual({
      campaign_id: ['x'], startDeliveryAt: { $gte: '2026-01-01T00:00:00.000Z' },
    });
  });

  it('error bodies: `error` as text or as {code, message}', () => {
    expect(readDripcelError({ ok: false, error: 'Unauthorized' })).toEqual({ message: 'Unauthorized' });
    expect(readDripcelError({ ok: false, error: { code: 'resource_not_found', message: 'Not found' } })).toEqual({
      code: 'resource_not_found', message: 'Not found',
    });
    expect(readDripcelError({ ok: false, error: { code: 'rate_limited' } })).toEqual({ code: 'rate_limited', message: 'rate_limited' });
    expect(readDripcelError('<html>')).toEqual({ message: '<html>' });
    expect(readDripcelError({ ok: false })).toEqual({});
  });
});

describe('Dripcel in demo mode', () => {
  it('demo mode starts the Dripcel simulator enforcing the documented 50 a minute, and the gateway budgets the same', async ({ closeAfter }) => {
    const demo = closeAfter(await startDemo(loadConfig({})));
    const dripcel = demo.simulators.DRIPCEL!;
    expect(demo.config.providers.DRIPCEL).toEqual({ apiKey: dripcel.apiKey, baseUrl: dripcel.url, rateLimitPerMinute: 50 });
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${dripcel.url}/campaigns`, { headers: { authorization: `Bearer ${dripcel.apiKey}` } });
      statuses.push(res.status);
      await res.arrayBuffer();
    }
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.slice(50)).toEqual(Array(10).fill(429));
  });
});
