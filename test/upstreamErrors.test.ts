import { describe, expect } from 'vitest';
import type { ProviderName } from '../src/domain/campaign.js';
import type { RunningSimulator } from '../src/providers/simulatorServer.js';
import { it } from './support/fixtures.js';
import type { GraphQLResponse, Harness, HarnessOptions } from './support/harness.js';
import { DEMO_CAMPAIGN, lookupNextToOther, PROVIDER_CASES } from './support/providerCases.js';

/**
 * The three upstream failures every provider shares, checked once for all of them: a refused key
 * (401/403, never retried), a provider that fails (5xx, retried, then UPSTREAM_UNAVAILABLE) and a
 * rate limit (429, with retryAfter when the provider sends Retry-After). Each is asked through a
 * lookup of a campaign the provider's demo data has, next to a field of another provider that must
 * still answer. Provider-specific error bodies are tested with each provider.
 */

/** Set explicitly (the default is 2), so attempt counts say the gateway read it. */
const RETRIES = 1;

interface ErrorSaid {
  /** Part of the message the gateway passes on. */
  message: string;
  /** `extensions.upstreamCode`, where the provider's body has a code. */
  upstreamCode?: string;
}

interface ProviderWire {
  /** A body in the provider's documented error shape, and what the gateway reads from it. */
  errorBody(message: string, code: string): { body: unknown; said: ErrorSaid };
  /** What the simulator answers to a key it does not know (401). */
  refusedKey: ErrorSaid;
  /** What the simulator answers past its rate limit (429), and whether it sends Retry-After. */
  rateLimited: ErrorSaid & { sendsRetryAfter: boolean };
}

const WIRE: Record<ProviderName, ProviderWire> = {
  MIGMA: {
    errorBody: (message, code) => ({ body: { success: false, error: message, code }, said: { message, upstreamCode: code } }),
    refusedKey: { message: 'Invalid API key', upstreamCode: 'UNAUTHORIZED' },
    rateLimited: { message: 'Rate limit exceeded', upstreamCode: 'RATE_LIMIT_EXCEEDED', sendsRetryAfter: true },
  },
  DRIPCEL: {
    errorBody: (message, code) => ({ body: { ok: false, error: { code, message } }, said: { message, upstreamCode: code } }),
    refusedKey: { message: 'invalid or missing API key' },
    rateLimited: { message: 'Too many requests', sendsRetryAfter: false },
  },
  EMAILSENDX: {
    // `{error: "<text>"}`, no code.
    errorBody: (message) => ({ body: { error: message }, said: { message } }),
    refusedKey: { message: 'Invalid API key' },
    rateLimited: { message: 'Rate limit exceeded', sendsRetryAfter: true },
  },
  INFOBIP: {
    errorBody: (message, code) => ({
      body: { errorCode: code, description: message, action: '', violations: [], resources: [] },
      said: { message, upstreamCode: code },
    }),
    refusedKey: { message: 'Invalid login details', upstreamCode: 'UNAUTHORIZED' },
    rateLimited: { message: 'Too many requests', upstreamCode: 'E429', sendsRetryAfter: false },
  },
};

describe.each(PROVIDER_CASES)('%s upstream errors', (name, definition, other) => {
  const wire = WIRE[name];
  const id = DEMO_CAMPAIGN[name];
  /** `failing` asks this provider (nullable: its error costs only itself); `other` asks the next one. */
  const { query: QUERY, checkOther } = lookupNextToOther(name, other);

  /** Simulators of this provider (the given one, or one of its module) and of the other, and a gateway over both. */
  async function start(
    startHarness: (options?: HarnessOptions) => Promise<Harness>,
    options: { simulator?: RunningSimulator; env?: Record<string, string> } = {},
  ): Promise<{ h: Harness; sim: RunningSimulator }> {
    const env: Record<string, string> = { UPSTREAM_RETRIES: String(RETRIES) };
    for (const d of [definition, other]) Object.assign(env, (await d.simulator()).demoEnv);
    const h = await startHarness({
      providers: [name, other.name],
      simulators: options.simulator ? { [name]: options.simulator } : {},
      env: { ...env, ...options.env },
    });
    return { h, sim: h.simulators[name]! };
  }

  /** The one error is `failing`'s, with these extensions; `other` answered. */
  function expectOnlyFailingFailed(res: GraphQLResponse, extensions: Record<string, unknown>, said?: ErrorSaid) {
    expect(res.status).toBe(200);
    expect(res.data.failing).toBeNull();
    checkOther(res.data.other);
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['failing']);
    expect(res.errors![0]!.extensions).toEqual({ provider: name, upstreamCode: said?.upstreamCode, ...extensions });
    if (said) expect(res.errors![0]!.message).toContain(said.message);
  }

  it('answers both fields with one call to the provider when nothing fails', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    const res = await h.query(QUERY);
    expect(res.errors).toBeUndefined();
    expect(res.data.failing).toEqual({ provider: name, providerId: id });
    checkOther(res.data.other);
    expect(sim.count()).toBe(1);
  });

  it('a refused key (401) is UPSTREAM_UNAUTHORIZED, tried once, and no key appears in the answer', async ({ startHarness }) => {
    const right = `${name.toLowerCase()}_live_the_right_key_4f8a9c`;
    const wrong = `${name.toLowerCase()}_live_WRONG_secret_123`;
    const simulator = await (await definition.simulator()).start({ apiKey: right });
    const { h, sim } = await start(startHarness, { simulator, env: { [definition.variables.apiKey]: wrong } });
    const res = await h.query(QUERY);
    expectOnlyFailingFailed(res, { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 401 }, wire.refusedKey);
    expect(res.text).not.toContain(wrong);
    expect(res.text).not.toContain(right);
    expect(sim.count()).toBe(1);
    // The wrong key went out the way the definition authenticates.
    const sent = Object.fromEntries(Object.entries(definition.authHeaders(wrong)).map(([k, v]) => [k.toLowerCase(), v]));
    expect(sim.calls[0]!.headers).toMatchObject(sent);
  });

  it('a 403 is UPSTREAM_UNAUTHORIZED too, never retried', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    const { body, said } = wire.errorBody('Key lacks the campaigns:read scope', 'FORBIDDEN');
    sim.inject({ status: 403, body, times: 10 });
    expectOnlyFailingFailed(await h.query(QUERY), { code: 'UPSTREAM_UNAUTHORIZED', upstreamStatus: 403 }, said);
    expect(sim.count()).toBe(1);
  });

  it('a 5xx is retried UPSTREAM_RETRIES times, then UPSTREAM_UNAVAILABLE; the rest of the answer stands', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    const { body, said } = wire.errorBody('Service temporarily unavailable', 'SERVICE_UNAVAILABLE');
    sim.inject({ status: 503, body, times: 10 });
    expectOnlyFailingFailed(await h.query(QUERY), { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503 }, said);
    expect(sim.count()).toBe(1 + RETRIES);
  });

  it('a request too large for the provider (413, 414, 431) is BAD_USER_INPUT, never retried (found by test/properties.test.ts)', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    for (const status of [413, 414, 431]) {
      // Once: a retry would get the real answer (and the count would say so).
      sim.inject({ status, rawBody: '' });
      const res = await h.query(QUERY);
      expect(res.data.failing).toBeNull();
      expect(res.errors?.map((e) => [e.path, e.extensions])).toEqual([[['failing'], { code: 'BAD_USER_INPUT', provider: name, upstreamStatus: status }]]);
      expect(res.errors![0]!.message).toContain(`rejected the request as too large (${status})`);
      expect(sim.count()).toBe(1);
      sim.calls.length = 0;
    }
    // The counterexample, an id of 20 000 characters (a URL longer than the provider reads), no longer
    // reaches the provider: the gateway's own length limit answers it first, without a call.
    const res = await h.query(`query ($id: String!) { campaignByProviderId(provider: ${name}, providerId: $id) { id } }`, { id: ' x'.repeat(10_000) });
    expect(res.data.campaignByProviderId).toBeNull();
    expect(res.errors?.map((e) => e.extensions)).toEqual([{ code: 'BAD_USER_INPUT', argument: 'providerId' }]);
    expect(sim.count()).toBe(0);
  });

  it(`past its documented quota (${definition.quota.perMinute} a minute) the simulator answers 429: UPSTREAM_RATE_LIMITED`, async ({ startHarness }) => {
    const quota = definition.quota.perMinute;
    const simulator = await (await definition.simulator()).start({ apiKey: `${name.toLowerCase()}_rate_key`, rateLimitPerMinute: quota });
    const { h, sim } = await start(startHarness, { simulator });
    // Another client of the same key spends the provider's quota (the gateway's own budget is off here).
    const template = Object.values(definition.routes).find((r) => r.method === 'GET')!.template.replace(/:\w+/g, 'x');
    const statuses = await Promise.all(
      Array.from({ length: quota }, () =>
        fetch(`${simulator.url}${template}`, { headers: definition.authHeaders(simulator.apiKey) }).then(async (r) => (await r.arrayBuffer(), r.status)),
      ),
    );
    expect(statuses).not.toContain(429);
    expect(sim.count()).toBe(quota);

    const res = await h.query(QUERY);
    const { sendsRetryAfter, ...said } = wire.rateLimited;
    expectOnlyFailingFailed(
      res,
      { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfter: sendsRetryAfter ? expect.any(Number) : undefined },
      said,
    );
    if (sendsRetryAfter) {
      // The window's oldest call leaves it within a minute: too long to wait, so reported at once.
      expect(res.errors![0]!.extensions!.retryAfter).toBeGreaterThan(0);
      expect(res.errors![0]!.extensions!.retryAfter).toBeLessThanOrEqual(60);
      expect(sim.count()).toBe(quota + 1);
    } else {
      // Without Retry-After the gateway backs off and retries; every retry is refused too.
      expect(sim.count()).toBe(quota + 1 + RETRIES);
    }
  });

  it('a 429 with a long Retry-After is reported at once with retryAfter', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    const { body, said } = wire.errorBody('Slow down', 'RATE_LIMITED');
    sim.inject({ status: 429, body, headers: { 'Retry-After': '120' }, times: 10 });
    expectOnlyFailingFailed(await h.query(QUERY), { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retryAfter: 120 }, said);
    expect(sim.count()).toBe(1);
  });

  it('a 429 without Retry-After is retried with backoff, then UPSTREAM_RATE_LIMITED without retryAfter', async ({ startHarness }) => {
    const { h, sim } = await start(startHarness);
    const { body, said } = wire.errorBody('Slow down', 'RATE_LIMITED');
    sim.inject({ status: 429, body, times: 10 });
    expectOnlyFailingFailed(await h.query(QUERY), { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429 }, said);
    expect(sim.count()).toBe(1 + RETRIES);
  });
});
