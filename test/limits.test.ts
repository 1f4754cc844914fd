import { readFileSync, readdirSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect } from 'vitest';
import { DEFAULT_QUERY } from '../src/gateway.js';
import { COST_REPORT_HEADER } from '../src/limits/operationLimits.js';
import { it } from './support/fixtures.js';
import { startHarness, type Harness } from './support/harness.js';

const ALL = ['MIGMA', 'DRIPCEL', 'EMAILSENDX', 'INFOBIP'] as const;
const upstreamCalls = (h: Harness) => Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0);

async function post(h: Harness, body: string, headers: Record<string, string> = {}) {
  const response = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, json, text };
}

/** `campaigns > sendLogs > campaign > sendLogs ...` `levels` deep, as a hostile client would send it. */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let i = 0; i < levels; i++) inner = i % 2 === 0 ? `sendLogs { edges { node { campaign { ${inner} } } } }` : inner;
  return `{ campaigns { edges { node { ${inner} } } } }`;
}

describe('operation limits, before any upstream call', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: [...ALL], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
  });
  afterAll(() => h.close());
  beforeEach(() => h.resetCalls());

  it('a query 30 levels deep is refused in milliseconds with QUERY_TOO_COMPLEX (depth)', async () => {
    const started = performance.now();
    const res = await post(h, JSON.stringify({ query: deepQuery(30) }));
    expect(performance.now() - started).toBeLessThan(500);
    expect(res.status).toBeLessThan(500);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'depth', max: 10 });
    expect(res.json.errors[0].extensions.actual).toBeGreaterThan(30);
    expect(res.json.data).toBeUndefined();
    expect(upstreamCalls(h)).toBe(0);
  });

  it('1000 aliases of campaigns(first: 1) are refused, no call made; 60 by the alias limit itself', async () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: campaigns(first: 1) { totalCount }`).join(' ')} }`;
    const thousand = await post(h, JSON.stringify({ query: aliased(1000) }));
    expect(thousand.json.errors[0].extensions.code).toBe('QUERY_TOO_COMPLEX');
    const sixty = await post(h, JSON.stringify({ query: aliased(60) }));
    expect(sixty.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'aliases', max: 50, actual: 60 });
    expect(upstreamCalls(h)).toBe(0);
  });

  it('nested connections of 500 are refused by their cost in upstream calls, with the estimate', async () => {
    const query = `{ campaigns(first: 500) { edges { node { recipientLogs(first: 500) { edges { node { toEmail } } } sendLogs(first: 500) { edges { node { id } } } } } } }`;
    const res = await post(h, JSON.stringify({ query }));
    const error = res.json.errors[0];
    expect(error.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'cost', max: 1000 });
    expect(error.extensions.actual).toBeGreaterThan(3000);
    expect(error.message).toMatch(/upstream calls and \d+ rows/);
    expect(upstreamCalls(h)).toBe(0);
  });

  it('too many directives and too many tokens are refused', async () => {
    const directives = `{ campaigns(first: 1) { ${Array.from({ length: 60 }, () => 'totalCount @include(if: true)').join(' ')} } }`;
    expect((await post(h, JSON.stringify({ query: directives }))).json.errors[0].extensions).toMatchObject({ limit: 'directives', max: 50, actual: 60 });
    const tokens = `{ campaigns(first: 1) { ${Array.from({ length: 6000 }, () => 'totalCount').join(' ')} } }`;
    const res = await post(h, JSON.stringify({ query: tokens }));
    expect(res.status).toBeLessThan(500);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: 'tokens', max: 5000 });
    expect(res.json.errors[0].extensions.actual).toBeGreaterThan(6000);
  });

  it('fragments spread inside fragments cannot make the checks explode', async () => {
    let fragments = 'fragment F0 on Campaign { id }';
    for (let i = 1; i <= 20; i++) fragments += ` fragment F${i} on Campaign { ...F${i - 1} ...F${i - 1} }`;
    const started = performance.now();
    const res = await post(h, JSON.stringify({ query: `{ campaigns(first: 500) { edges { node { ...F20 } } } } ${fragments}` }));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(res.status).toBeLessThan(500);
    expect(upstreamCalls(h)).toBeLessThanOrEqual(20);
  });

  it('every query in the README, the docs and GraphiQL\'s default passes the default limits', async () => {
    const files = ['README.md', ...readdirSync('docs').filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`), ...readdirSync('docs/providers').map((f) => `docs/providers/${f}`)];
    const queries = [DEFAULT_QUERY];
    for (const file of files) {
      for (const match of readFileSync(file, 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)) queries.push(match[1]!);
    }
    expect(queries.length).toBeGreaterThanOrEqual(4);
    for (const query of queries) {
      const res = await post(h, JSON.stringify({ query }));
      const limited = (res.json?.errors ?? []).filter((e: any) => e.extensions?.code === 'QUERY_TOO_COMPLEX');
      expect(limited, query).toEqual([]);
    }
  });

  it(`${COST_REPORT_HEADER}: extensions.cost gives the estimate and the calls really made`, async () => {
    const query = `{ campaigns(first: 30) { edges { node { name stats { sent } } } } }`;
    const res = await post(h, JSON.stringify({ query }), { [COST_REPORT_HEADER]: '1' });
    expect(res.json.errors).toBeUndefined();
    const cost = res.json.extensions.cost;
    expect(cost.max).toBe(1000);
    expect(cost.estimated.rows).toBe(30);
    expect(cost.estimated.calls).toBeGreaterThanOrEqual(30);
    expect(cost.actual.upstreamCalls).toBe(upstreamCalls(h));
    expect(cost.actual.upstreamCalls).toBeLessThanOrEqual(cost.estimated.calls);
    const plain = await post(h, JSON.stringify({ query }));
    expect(plain.json.extensions?.cost).toBeUndefined();
  });
});

describe('bodies and batches', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
  });
  afterAll(() => h.close());

  it('a 3 MiB body gets 413 before it is read whole; so do 300,000 aliases in 5.9 MB', async () => {
    const big = JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(3 * 1024 * 1024) } });
    const res = await post(h, big);
    expect(res.status).toBe(413);
    expect(res.json.errors[0].extensions).toMatchObject({ code: 'BAD_REQUEST', limit: 'bodyBytes', max: 1048576 });
    const aliases = JSON.stringify({ query: `{ ${Array.from({ length: 300_000 }, (_, i) => `a${i}: __typename`).join(' ')} }` });
    expect(aliases.length).toBeGreaterThan(5_000_000);
    expect((await post(h, aliases)).status).toBe(413);
  });

  it('a chunked body without Content-Length is cut off at the limit', async () => {
    const url = new URL(h.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode!);
      });
      req.on('error', (error) => ((error as NodeJS.ErrnoException).code === 'EPIPE' || (error as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(error)));
      req.write('{"query":"{ __typename }","variables":{"pad":"');
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 4 * 1024 * 1024) {
          sent += chunk.length;
          if (!req.write(chunk)) return req.once('drain', pump);
        }
        req.end('"}}');
      };
      pump();
    });
    expect(status).toBe(413);
  });

  it('a batched JSON array is refused with 400', async () => {
    const res = await post(h, JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]));
    expect(res.status).toBe(400);
    expect(res.json.errors[0].extensions.code).toBeDefined();
  });
});

describe('router-only federation fields and production masking', () => {
  it('GATEWAY_ROUTER_TOKENS: _service and _entities need x-router-token', async ({ startHarness: start }) => {
    const h = await start({ providers: ['EMAILSENDX'], env: { GATEWAY_ROUTER_TOKENS: 'router-secret-1' } });
    const denied = await post(h, JSON.stringify({ query: '{ _service { sdl } }' }));
    expect(denied.json.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    expect(denied.text).not.toContain('type Campaign');
    const allowed = await post(h, JSON.stringify({ query: '{ _service { sdl } }' }), { 'x-router-token': 'router-secret-1' });
    expect(allowed.json.data._service.sdl).toContain('type Campaign');
    const plain = await post(h, JSON.stringify({ query: '{ campaigns(first: 1) { totalCount } }' }));
    expect(plain.json.errors).toBeUndefined();
  });

  it('production echoes nothing of a malformed body', async ({ startHarness: start }) => {
    const h = await start({ providers: ['EMAILSENDX'], env: { NODE_ENV: 'production' } });
    const res = await post(h, '{"query": "{ __typename }", "secret-ish": tru');
    expect(res.status).toBeLessThan(500);
    expect(res.text).not.toContain('secret-ish');
    expect(res.text).not.toContain('originalError');
    expect(res.json.errors[0].extensions.code).toBeDefined();
  });
});

describe('argument lengths', () => {
  it('ids, cursors and strings that would reach a provider are held to documented lengths: BAD_USER_INPUT, no call', async ({ startHarness: start }) => {
    const h = await start({ providers: ['MIGMA', 'DRIPCEL', 'INFOBIP'], env: { MIGMA_PROJECT_ID: 'proj_demo' } });
    const long = 'x'.repeat(100_000);
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['query($v: String!) { campaignByProviderId(provider: MIGMA, providerId: $v) { name } }', { v: long }, 'providerId'],
      ['query($v: ID!) { node(id: $v) { id } }', { v: long }, 'id'],
      ['query($v: String) { campaigns(after: $v) { totalCount } }', { v: long }, 'after'],
      ['query($v: String) { emailLogs(filter: { to: $v }) { totalCount } }', { v: long }, 'filter.to'],
      ['query($v: [String!]) { sendLogs(filter: { campaignIds: $v }) { totalCount } }', { v: [long] }, 'filter.campaignIds'],
      ['query($v: [String!]) { sendLogs(filter: { campaignIds: $v }) { totalCount } }', { v: Array.from({ length: 101 }, (_, i) => `${i}`) }, 'filter.campaignIds'],
    ];
    for (const [query, variables, argument] of cases) {
      const res = await h.query(query, variables);
      expect(res.errors?.[0]?.extensions, argument).toMatchObject({ code: 'BAD_USER_INPUT', argument });
      expect(res.text.length, argument).toBeLessThan(2000);
    }
    expect(Object.values(h.simulators).reduce((sum, s) => sum + s!.calls.length, 0)).toBe(0);
  });
});
