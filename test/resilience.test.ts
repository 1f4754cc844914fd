import { describe, expect } from 'vitest';
import { it } from './support/fixtures.js';

const PATH = '/api/v1/campaigns';
const LOOKUP = `{ campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { name } }`;

describe('retries and circuit breaking of upstream calls', () => {
  it('retries a 5xx or a dropped connection and answers as if nothing happened', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 503, body: { error: 'maintenance' } });
    sim.inject({ hangUp: true });
    const res = await h.query(LOOKUP);
    expect(res.errors).toBeUndefined();
    expect(res.data.campaignByProviderId.name).toBe('April Newsletter');
    expect(sim.count(PATH)).toBe(3);
  });

  it('waits a short Retry-After, then answers as if nothing happened', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '1' } });
    const started = Date.now();
    const waited = await h.query(LOOKUP);
    expect(waited.errors).toBeUndefined();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(sim.count(PATH)).toBe(2);
  });

  it('never retries a timeout', async ({ startHarness }) => {
    const slow = await startHarness({ providers: ['EMAILSENDX'], env: { UPSTREAM_TIMEOUT_MS: '150' } });
    slow.simulators.EMAILSENDX!.inject({ delayMs: 1000 });
    expect((await slow.query(LOOKUP)).errors?.[0]?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
    expect(slow.simulators.EMAILSENDX!.count(PATH)).toBe(1);
  });

  it('opens the circuit after failures in a row: calls fail at once without reaching the provider, then recover', async ({ startHarness }) => {
    const h = await startHarness({
      providers: ['EMAILSENDX'],
      env: { UPSTREAM_RETRIES: '0', UPSTREAM_CIRCUIT_THRESHOLD: '2', UPSTREAM_CIRCUIT_COOLDOWN_MS: '400' },
    });
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 502, body: { error: 'down' }, times: 2 });
    expect((await h.query(LOOKUP)).errors?.[0]?.extensions?.upstreamStatus).toBe(502);
    expect((await h.query(LOOKUP)).errors?.[0]?.extensions?.upstreamStatus).toBe(502);
    const open = await h.query(LOOKUP);
    expect(open.errors?.[0]?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'EMAILSENDX', retryAfter: 1 });
    expect(open.errors?.[0]?.message).toContain('circuit is open');
    expect(sim.count(PATH)).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 450));
    const recovered = await h.query(LOOKUP);
    expect(recovered.errors).toBeUndefined();
    expect(sim.count(PATH)).toBe(3);
  });
});
