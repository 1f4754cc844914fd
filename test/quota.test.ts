import { describe, expect } from 'vitest';
import { emailSendXDemoCampaigns } from '../src/providers/emailsendx/demoData.js';
import { startEmailSendXSimulator } from '../src/providers/emailsendx/simulator.js';
import { migmaDemoData } from '../src/providers/migma/demoData.js';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { it } from './support/fixtures.js';

const MIGMA_IDS = migmaDemoData().campaigns.map((c) => c.id);
const lookups = (provider: string, ids: string[]) =>
  `{ ${ids.map((id, i) => `c${i}: campaignByProviderId(provider: ${provider}, providerId: "${id}") { providerId }`).join(' ')} }`;

describe('outbound quotas', () => {
  it('a burst over the budget earns no upstream 429: clean UPSTREAM_RATE_LIMITED within UPSTREAM_QUEUE_MS plus a little', async ({ startHarness }) => {
    const migma = await startMigmaSimulator({ apiKey: 'quota_key', rateLimitPerMinute: 5 });
    const h = await startHarness({
      simulators: { MIGMA: migma },
      env: { MIGMA_RATE_LIMIT_PER_MINUTE: '5', UPSTREAM_QUEUE_MS: '300', UPSTREAM_RETRIES: '2' },
    });
    const started = Date.now();
    const res = await h.query(lookups('MIGMA', MIGMA_IDS.slice(0, 10)));
    const elapsed = Date.now() - started;
    const answered = Object.values(res.data).filter((v) => v !== null);
    expect(answered).toHaveLength(5);
    expect(res.errors).toHaveLength(5);
    for (const error of res.errors!) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', provider: 'MIGMA' });
      expect(error.extensions!.retryAfter).toBeGreaterThanOrEqual(55);
      expect(error.extensions!.retryAfter).toBeLessThanOrEqual(60);
      expect(error.extensions!.upstreamStatus).toBeUndefined();
      expect(error.message).toMatch(/^MIGMA quota: no room for another call for \d+ s \(the gateway's budget is 5 calls a minute/);
    }
    expect(elapsed).toBeLessThan(300 + 1500);
    // The provider saw exactly the budget, and answered none of it with 429.
    expect(migma.calls).toHaveLength(5);
  });

  it('a call waits for room when the budget frees up within UPSTREAM_QUEUE_MS (no error)', async ({ startHarness }) => {
    const migma = await startMigmaSimulator({ apiKey: 'quota_key', rateLimitPerMinute: 1000 });
    const h = await startHarness({ simulators: { MIGMA: migma }, env: { MIGMA_RATE_LIMIT_PER_MINUTE: '2', UPSTREAM_QUEUE_MS: '0' } });
    const first = await h.query(lookups('MIGMA', MIGMA_IDS.slice(0, 3)));
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['UPSTREAM_RATE_LIMITED']);
    expect(migma.calls).toHaveLength(2);
  });

  it('a retry spends quota like any call', async ({ startHarness }) => {
    const migma = await startMigmaSimulator({ apiKey: 'quota_key', rateLimitPerMinute: 1000 });
    const h = await startHarness({ simulators: { MIGMA: migma }, env: { MIGMA_RATE_LIMIT_PER_MINUTE: '2', UPSTREAM_QUEUE_MS: '0', UPSTREAM_RETRIES: '2' } });
    migma.inject({ status: 503, body: { success: false, error: 'busy' } });
    const retried = await h.query(lookups('MIGMA', MIGMA_IDS.slice(0, 1)));
    expect(retried.errors).toBeUndefined();
    expect(migma.calls).toHaveLength(2);
    const next = await h.query(lookups('MIGMA', MIGMA_IDS.slice(1, 2)));
    expect(next.errors?.[0]?.extensions?.code).toBe('UPSTREAM_RATE_LIMITED');
    expect(migma.calls).toHaveLength(2);
  });

  it("EmailSendX's X-RateLimit-Remaining tightens the budget when it says less is left than ours", async ({ startHarness }) => {
    // The provider allows 3 (someone else uses the key too); our own budget is the documented 120.
    const esx = await startEmailSendXSimulator({ apiKey: 'esx_quota', rateLimitPerMinute: 3 });
    const h = await startHarness({ simulators: { EMAILSENDX: esx }, env: { EMAILSENDX_RATE_LIMIT_PER_MINUTE: '120', UPSTREAM_QUEUE_MS: '0' } });
    const ids = emailSendXDemoCampaigns().slice(0, 6).map((c) => c.id);
    for (const id of ids.slice(0, 3)) expect((await h.query(lookups('EMAILSENDX', [id]))).errors).toBeUndefined();
    const refused = await h.query(lookups('EMAILSENDX', ids.slice(3)));
    expect(refused.errors).toHaveLength(3);
    for (const error of refused.errors!) {
      expect(error.extensions).toMatchObject({ code: 'UPSTREAM_RATE_LIMITED', provider: 'EMAILSENDX' });
      expect(error.extensions!.upstreamStatus).toBeUndefined();
    }
    expect(esx.calls).toHaveLength(3);
  });

  it('0 means no limit', async ({ startHarness }) => {
    const migma = await startMigmaSimulator({ apiKey: 'quota_key', rateLimitPerMinute: 1000 });
    const h = await startHarness({ simulators: { MIGMA: migma }, env: { MIGMA_RATE_LIMIT_PER_MINUTE: '0' } });
    const res = await h.query(lookups('MIGMA', MIGMA_IDS));
    expect(res.errors).toBeUndefined();
    expect(migma.calls).toHaveLength(MIGMA_IDS.length);
  });
});
