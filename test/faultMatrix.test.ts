import { describe, expect } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { parseDemoFaults, startDemo } from '../src/demo/demoMode.js';
import { createGateway } from '../src/gateway.js';
import { DEFAULT_RETRY } from '../src/http/retry.js';
import type { ProviderDefinition } from '../src/providers/provider.js';
import { FAULT_KINDS, FAULT_RETRY_AFTER_S, routeMatcher, type FaultKind } from '../src/providers/simulatorServer.js';
import { it } from './support/fixtures.js';
import type { Harness, HarnessOptions } from './support/harness.js';
import { DEMO_CAMPAIGN, lookupNextToOther, PROVIDER_CASES } from './support/providerCases.js';

/**
 * Every named fault a simulator can play, against every provider, through the gateway over real
 * HTTP: the lookup of one of the provider's campaigns meets the fault on the route it calls, next
 * to a field of another provider that must still answer. Each case checks the contract's code and
 * extensions, how many attempts reached the provider, and how long the answer took.
 */

/** Set explicitly (the defaults are 2 and 10 s), so attempt counts and latencies say the gateway read them. */
const RETRIES = 1;
const TIMEOUT_MS = 300;
/** The most the retry stage's backoff can wait in all: 100 ms doubling per retry (DEFAULT_RETRY), with jitter below that. */
const MAX_BACKOFF_MS = Array.from({ length: RETRIES }, (_, r) => Math.min(DEFAULT_RETRY.backoffMaxMs, DEFAULT_RETRY.backoffBaseMs * 2 ** r)).reduce(
  (a, b) => a + b,
  0,
);
/** Room for the rest of the request on a loaded two-core machine. */
const SLACK_MS = 1000;

interface Outcome {
  /** The contract's code of the failing field; null when the field answers. */
  code: string | null;
  upstreamStatus?: number;
  retryAfter?: number;
  /** Retried UPSTREAM_RETRIES times (5xx, dropped connections, 429); else asked once. */
  retried: boolean;
  /** Each attempt lasts until UPSTREAM_TIMEOUT_MS fires. */
  timesOut?: boolean;
  /** What each retry waits (a short Retry-After), instead of the backoff. */
  waitMs?: number;
  /** What the message says after the provider's name. */
  says?: RegExp;
}

const OUTCOMES = {
  '500': { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 500, retried: true, says: /^failed \(500\)/ },
  '503': { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 503, retried: true, says: /^failed \(503\)/ },
  '429-retry-after': {
    code: 'UPSTREAM_RATE_LIMITED',
    upstreamStatus: 429,
    retryAfter: FAULT_RETRY_AFTER_S,
    retried: true,
    waitMs: FAULT_RETRY_AFTER_S * 1000,
    says: /^rate limit reached \(429\)/,
  },
  '429-no-retry-after': { code: 'UPSTREAM_RATE_LIMITED', upstreamStatus: 429, retried: true, says: /^rate limit reached \(429\)/ },
  hang: { code: 'UPSTREAM_TIMEOUT', retried: false, timesOut: true, says: new RegExp(`^did not answer within ${TIMEOUT_MS} ms$`) },
  reset: { code: 'UPSTREAM_UNAVAILABLE', retried: true, says: /^dropped the connection mid-answer \(200, UND_ERR_SOCKET\)$/ },
  'malformed-json': { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200, retried: false, says: /^answered with a body that is not JSON$/ },
  'empty-body': { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200, retried: false, says: /^answered with an empty body$/ },
  // A proxy's 502 page is the provider being unavailable, like any 5xx. HTML pages are reported by their title, without markup.
  'html-502': { code: 'UPSTREAM_UNAVAILABLE', upstreamStatus: 502, retried: true, says: /^failed \(502\): 502 Bad Gateway$/ },
  'html-200': { code: 'UPSTREAM_BAD_RESPONSE', upstreamStatus: 200, retried: false, says: /^answered with an HTML page, not JSON \("Down for maintenance"\)$/ },
  // The body decides, not the label: JSON under `text/plain` is read like any answer (docs/architecture.md, Errors).
  'text-plain-json': { code: null, retried: false },
  // Headers at once, then a body slower than the timeout: a timeout too, not retried.
  'slow-body': { code: 'UPSTREAM_TIMEOUT', retried: false, timesOut: true, says: new RegExp(`^started answering \\(200\\) but did not finish within ${TIMEOUT_MS} ms$`) },
} satisfies Record<FaultKind, Outcome>;

/**
 * The route the lookup calls, as a fault names it: the provider's campaign lookup, or (Infobip,
 * which finds campaigns in its logs) its one route.
 */
function lookupRoute(definition: ProviderDefinition): string {
  const routes = Object.values(definition.routes);
  const route = routes.find((r) => r.kind === 'campaign') ?? (routes.length === 1 ? routes[0] : undefined);
  if (!route) throw new Error(`${definition.name}: which route does its lookup call?`);
  return `${route.method} ${route.template}`;
}

// One case at a time: run concurrently (about 6 s instead of 12), calls that answer at once also
// overran the 300 ms timeout on a loaded two-core machine.
describe.each(PROVIDER_CASES)('%s under every fault', (name, definition, other) => {
  const { query, checkOther } = lookupNextToOther(name, other);
  const route = lookupRoute(definition);
  const onRoute = routeMatcher(route);

  async function start(startHarness: (options?: HarnessOptions) => Promise<Harness>): Promise<Harness> {
    const env: Record<string, string> = { UPSTREAM_RETRIES: String(RETRIES), UPSTREAM_TIMEOUT_MS: String(TIMEOUT_MS) };
    for (const d of [definition, other]) Object.assign(env, (await d.simulator()).demoEnv);
    return startHarness({ providers: [name, other.name], env });
  }

  it(`without a fault the lookup answers with one call of ${route}`, async ({ startHarness }) => {
    const h = await start(startHarness);
    const res = await h.query(query);
    expect(res.errors).toBeUndefined();
    expect(res.data.failing).toEqual({ provider: name, providerId: DEMO_CAMPAIGN[name] });
    const sim = h.simulators[name]!;
    expect(sim.count()).toBe(1);
    expect(onRoute(sim.calls[0]!)).toBe(true);
  });

  it.for(FAULT_KINDS)('%s', async (kind, { startHarness }) => {
    const outcome: Outcome = OUTCOMES[kind];
    const h = await start(startHarness);
    const sim = h.simulators[name]!;
    sim.inject({ kind, route, times: Infinity });

    const started = performance.now();
    const res = await h.query(query);
    const took = performance.now() - started;

    expect(res.status).toBe(200);
    checkOther(res.data.other);
    if (outcome.code === null) {
      expect(res.errors).toBeUndefined();
      expect(res.data.failing).toEqual({ provider: name, providerId: DEMO_CAMPAIGN[name] });
    } else {
      expect(res.data.failing).toBeNull();
      expect(res.errors).toHaveLength(1);
      const [error] = res.errors!;
      expect(error!.path).toEqual(['failing']);
      expect(error!.extensions).toEqual({ code: outcome.code, provider: name, upstreamStatus: outcome.upstreamStatus, retryAfter: outcome.retryAfter });
      expect(error!.message.startsWith(`${name} `)).toBe(true);
      expect(error!.message.slice(name.length + 1)).toMatch(outcome.says!);
      expect(error!.message).not.toMatch(/[<>]/);
    }
    expect(res.text).not.toContain(sim.apiKey);

    const attempts = outcome.retried ? 1 + RETRIES : 1;
    expect(sim.count()).toBe(attempts);
    expect(sim.calls.every(onRoute)).toBe(true);

    const waits = outcome.retried ? (outcome.waitMs ?? 0) * RETRIES : 0;
    const floor = (outcome.timesOut ? TIMEOUT_MS * attempts : 0) + waits;
    const ceiling = (outcome.timesOut ? TIMEOUT_MS * attempts : 0) + (outcome.retried ? (outcome.waitMs ? waits : MAX_BACKOFF_MS) : 0) + SLACK_MS;
    expect(took).toBeGreaterThanOrEqual(floor - 10);
    expect(took).toBeLessThan(ceiling);

    if (outcome.timesOut) {
      // The gateway gave up on the call: the simulator sees the connection closed under it.
      await expect.poll(() => sim.calls.every((call) => call.aborted)).toBe(true);
    }
  });
});

describe('faults by route', () => {
  it('a fault on one route leaves the provider\'s other routes answering', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['MIGMA'], env: { UPSTREAM_RETRIES: String(RETRIES), MIGMA_PROJECT_ID: 'proj_demo' } });
    const sim = h.simulators.MIGMA!;
    sim.inject({ kind: '503', route: 'GET /v1/campaigns/:id/stats', times: Infinity });
    const res = await h.query(`{ campaignByProviderId(provider: MIGMA, providerId: "${DEMO_CAMPAIGN.MIGMA}") { providerId stats { sent } } }`);
    expect(res.data.campaignByProviderId).toEqual({ providerId: DEMO_CAMPAIGN.MIGMA, stats: null });
    expect(res.errors).toHaveLength(1);
    expect(res.errors![0]!.path).toEqual(['campaignByProviderId', 'stats']);
    expect(res.errors![0]!.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', provider: 'MIGMA', upstreamStatus: 503 });
    expect(sim.count(`/v1/campaigns/${DEMO_CAMPAIGN.MIGMA}`)).toBe(1);
    expect(sim.count(`/v1/campaigns/${DEMO_CAMPAIGN.MIGMA}/stats`)).toBe(1 + RETRIES);
  });

  it('a route template matches its method and one path segment per :param, whatever the query', () => {
    const stats = routeMatcher('GET /v1/campaigns/:id/stats');
    expect(stats({ method: 'GET', path: '/v1/campaigns/cmp_1/stats' })).toBe(true);
    expect(stats({ method: 'GET', path: '/v1/campaigns/cmp%2F1/stats' })).toBe(true);
    expect(stats({ method: 'POST', path: '/v1/campaigns/cmp_1/stats' })).toBe(false);
    expect(stats({ method: 'GET', path: '/v1/campaigns/cmp_1' })).toBe(false);
    expect(stats({ method: 'GET', path: '/v1/campaigns/a/b/stats' })).toBe(false);
    expect(stats({ method: 'GET', path: '/v1/campaigns//stats' })).toBe(false);
    // Literal parts are literal: a dot is not "any character".
    const logs = routeMatcher('GET /email/1/logs.json');
    expect(logs({ method: 'GET', path: '/email/1/logs.json' })).toBe(true);
    expect(logs({ method: 'GET', path: '/email/1/logsxjson' })).toBe(false);
    expect(() => routeMatcher('/v1/campaigns')).toThrow(/METHOD \/path/);
  });
});

describe('DEMO_FAULTS', () => {
  it('is read as given into the config, and parsed by demo mode into provider, route and fault', () => {
    expect(loadConfig({}).demoFaults).toBeNull();
    const raw = ' MIGMA:GET /v1/campaigns/:id/stats=503 , infobip:*=Slow-Body,DRIPCEL:post  /send-logs/search=429-retry-after,';
    expect(loadConfig({ DEMO_FAULTS: raw }).demoFaults).toBe(raw.trim());
    expect(parseDemoFaults(raw)).toEqual([
      { provider: 'MIGMA', route: 'GET /v1/campaigns/:id/stats', kind: '503' },
      { provider: 'INFOBIP', route: null, kind: 'slow-body' },
      { provider: 'DRIPCEL', route: 'POST /send-logs/search', kind: '429-retry-after' },
    ]);
    expect(parseDemoFaults(null)).toEqual([]);
  });

  it.for([
    ['MIGMA=503', /"MIGMA=503" is not PROVIDER:ROUTE=FAULT/],
    ['MIGMA:*', /"MIGMA:\*" is not PROVIDER:ROUTE=FAULT/],
    ['MAILCHIMP:*=503', /"MAILCHIMP" in "MAILCHIMP:\*=503" is not a provider; one of MIGMA, DRIPCEL, EMAILSENDX, INFOBIP/],
    ['MIGMA:GET /v1/campaigns/123/stats=503', /MIGMA has no route "GET \/v1\/campaigns\/123\/stats"; its routes are .*GET \/v1\/campaigns\/:id\/stats.* \(or \* for all\)$/],
    ['INFOBIP:*=timeout', /"timeout" in "INFOBIP:\*=timeout" is not a fault; one of 500, 503, 429-retry-after, .*slow-body/],
    ['MIGMA:*=500,MIGMA:*=503', /MIGMA \* is given twice/],
  ] as const)('%s is a ConfigError naming DEMO_FAULTS', ([raw, says]) => {
    let thrown: unknown;
    try {
      parseDemoFaults(raw);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe('DEMO_FAULTS');
    expect((thrown as ConfigError).message).toMatch(/^DEMO_FAULTS: /);
    expect((thrown as ConfigError).message).toMatch(says);
  });

  it('demo mode rejects a bad value before starting any simulator', async () => {
    await expect(startDemo(loadConfig({ DEMO_FAULTS: 'MIGMA:*=nope' }))).rejects.toThrow(ConfigError);
  });

  it('demo mode plays the faults on the routes named, the most specific entry first', async ({ closeAfter }) => {
    const env = { LOG_LEVEL: 'silent', UPSTREAM_RETRIES: '0', DEMO_FAULTS: 'MIGMA:*=html-200,MIGMA:GET /v1/campaigns/:id/stats=503,INFOBIP:*=empty-body' };
    const demo = closeAfter(await startDemo(loadConfig(env)));
    expect(demo.faults).toHaveLength(3);
    const gateway = closeAfter(createGateway(demo.config));
    const response = await gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `{
          migma: campaignByProviderId(provider: MIGMA, providerId: "${DEMO_CAMPAIGN.MIGMA}") { providerId }
          dripcel: campaignByProviderId(provider: DRIPCEL, providerId: "${DEMO_CAMPAIGN.DRIPCEL}") { providerId }
          infobip: campaignByProviderId(provider: INFOBIP, providerId: "${DEMO_CAMPAIGN.INFOBIP}") { providerId }
        }`,
      }),
    });
    const body = (await response.json()) as { data: Record<string, unknown>; errors: Array<{ path: string[]; extensions: Record<string, unknown> }> };
    // Dripcel has no fault; Migma's lookup meets `*` (html-200), Infobip's every call answers an empty body.
    expect(body.data).toEqual({ migma: null, dripcel: { providerId: DEMO_CAMPAIGN.DRIPCEL }, infobip: null });
    const byPath = Object.fromEntries(body.errors.map((e) => [e.path.join('.'), e.extensions]));
    expect(byPath).toEqual({
      migma: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'MIGMA', upstreamStatus: 200 },
      infobip: { code: 'UPSTREAM_BAD_RESPONSE', provider: 'INFOBIP', upstreamStatus: 200 },
    });
    // The stats route has its own entry, tried before Migma's `*`.
    const migma = demo.simulators.MIGMA!;
    const stats = await fetch(`${migma.url}/v1/campaigns/${DEMO_CAMPAIGN.MIGMA}/stats`, { headers: { authorization: `Bearer ${migma.apiKey}` } });
    expect(stats.status).toBe(503);
    await stats.arrayBuffer();
  });
});
