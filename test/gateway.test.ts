import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { startHarness, type Harness } from './support/harness.js';

describe('configuration', () => {
  const configError = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      return error instanceof ConfigError ? error.variable : error;
    }
    return 'no error';
  };

  it('defaults: port 4000, timeout 10 s, demo mode without keys', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 4000, upstreamTimeoutMs: 10_000, demo: true, introspection: true, apiTokens: [] });
    expect(config.retry).toMatchObject({ retries: 2 });
    expect(config.circuit).toEqual({ threshold: 5, cooldownMs: 30_000 });
    expect(loadConfig({ EMAILSENDX_API_KEY: 'k' })).toMatchObject({
      demo: false,
      providers: { EMAILSENDX: { apiKey: 'k', baseUrl: 'https://emailsendx.com' } },
    });
  });

  it('names the variable of a bad value', () => {
    expect(configError({ PORT: 'abc' })).toBe('PORT');
    expect(configError({ PORT: '70000' })).toBe('PORT');
    expect(configError({ UPSTREAM_TIMEOUT_MS: '10s' })).toBe('UPSTREAM_TIMEOUT_MS');
    expect(configError({ EMAILSENDX_API_KEY: 'k', EMAILSENDX_BASE_URL: 'not a url' })).toBe('EMAILSENDX_BASE_URL');
    expect(configError({ EMAILSENDX_API_KEY: 'k', EMAILSENDX_BASE_URL: 'https://emailsendx.com/api/v1' })).toBe('EMAILSENDX_BASE_URL');
    expect(configError({ INFOBIP_API_KEY: 'k' })).toBe('INFOBIP_BASE_URL');
    expect(configError({ REDIS_URL: 'http://x' })).toBe('REDIS_URL');
    expect(configError({ GATEWAY_INTROSPECTION: 'maybe' })).toBe('GATEWAY_INTROSPECTION');
    expect(configError({ UPSTREAM_RETRIES: '9' })).toBe('UPSTREAM_RETRIES');
    expect(configError({ UPSTREAM_CIRCUIT_THRESHOLD: '-1' })).toBe('UPSTREAM_CIRCUIT_THRESHOLD');
    expect(configError({ LOG_LEVEL: 'loud' })).toBe('LOG_LEVEL');
  });

  it('production turns introspection off unless asked for', () => {
    const keys = { NODE_ENV: 'production', EMAILSENDX_API_KEY: 'k' };
    expect(loadConfig(keys).introspection).toBe(false);
    expect(loadConfig({ ...keys, GATEWAY_INTROSPECTION: 'true' }).introspection).toBe(true);
  });

  it('production without any provider key refuses to start, naming the variables, unless demo mode is asked for', () => {
    expect(configError({ NODE_ENV: 'production' })).toBe('GATEWAY_DEMO');
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/MIGMA_API_KEY, DRIPCEL_API_KEY, EMAILSENDX_API_KEY, INFOBIP_API_KEY/);
    expect(loadConfig({ NODE_ENV: 'production', GATEWAY_DEMO: 'true' }).demo).toBe(true);
    expect(loadConfig({}).demo).toBe(true);
  });

  it('operation limits and the body limit have defaults and are validated', () => {
    expect(loadConfig({}).limits).toEqual({ depth: 10, aliases: 50, directives: 50, tokens: 5000, cost: 1000 });
    expect(loadConfig({}).maxBodyBytes).toBe(1024 * 1024);
    expect(configError({ GATEWAY_MAX_DEPTH: '0' })).toBe('GATEWAY_MAX_DEPTH');
    expect(configError({ GATEWAY_MAX_COST: 'lots' })).toBe('GATEWAY_MAX_COST');
    expect(configError({ GATEWAY_MAX_BODY_BYTES: '10' })).toBe('GATEWAY_MAX_BODY_BYTES');
  });

  it('cache and quota settings have the documented defaults', () => {
    const config = loadConfig({ MIGMA_API_KEY: 'k' });
    expect(config.cache).toMatchObject({ ttlS: 60, staleS: 3600 });
    expect(config.upstreamQueueMs).toBe(2000);
    expect(config.providers.MIGMA!.rateLimitPerMinute).toBe(100);
    expect(loadConfig({ MIGMA_API_KEY: 'k', MIGMA_RATE_LIMIT_PER_MINUTE: '10' }).providers.MIGMA!.rateLimitPerMinute).toBe(10);
    expect(configError({ MIGMA_RATE_LIMIT_PER_MINUTE: '-1' })).toBe('MIGMA_RATE_LIMIT_PER_MINUTE');
    expect(configError({ CACHE_TTL_S: 'x' })).toBe('CACHE_TTL_S');
  });
});

describe('the HTTP surface', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
  });
  afterAll(() => h.close());

  it('serves a light GraphiQL to browsers: a small page, its scripts and styles as hashed same-origin files cached for good', async () => {
    const response = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.length).toBeLessThan(10_000);
    // The example tabs travel in the page's inline config.
    expect(html).toContain('defaultTabs');
    expect(html).toMatch(/campaigns\(first: \d+/);
    expect(html).not.toMatch(/(src|href)="https?:/);
    expect(html).not.toMatch(/unpkg\.com|jsdelivr\.net/);
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(3);
    const origin = new URL(h.url).origin;
    for (const asset of assets) {
      const file = await fetch(origin + asset, { headers: { 'accept-encoding': 'gzip' } });
      expect(file.status).toBe(200);
      expect(file.headers.get('cache-control')).toContain('immutable');
      expect((await file.arrayBuffer()).byteLength).toBeGreaterThan(0);
    }
    expect((await fetch(`${origin}/graphiql/assets/graphiql.0000000000.js`)).status).toBe(404);
  });

  it('is a federation subgraph: _service { sdl } carries the @key directives', async () => {
    const res = await h.query(`{ _service { sdl } }`);
    expect(res.errors).toBeUndefined();
    expect(res.data._service.sdl).toContain('type Campaign implements Node');
    expect(res.data._service.sdl).toMatch(/@key\(fields: "provider providerId"\)/);
  });

  it('resolves Campaign entities by id and by provider + providerId', async () => {
    const list = await h.query(`{ campaigns(first: 1) { edges { node { id } } } }`);
    const id = list.data.campaigns.edges[0].node.id;
    const res = await h.query(
      `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id name } } }`,
      {
        reps: [
          { __typename: 'Campaign', id },
          { __typename: 'Campaign', provider: 'EMAILSENDX', providerId: 'clx_camp_march_nl_id' },
          { __typename: 'Campaign', provider: 'EMAILSENDX', providerId: 'missing' },
        ],
      },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data._entities).toEqual([{ id, name: 'April Newsletter' }, { id: expect.any(String), name: 'March Newsletter' }, null]);

    const unknown = await h.query(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id } } }`, {
      reps: [{ __typename: 'Campaign', provider: 'FOO', providerId: 'x' }],
    });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('_entities: a bad representation costs only its own entry (found by test/properties.test.ts)', async () => {
    const list = await h.query(`{ campaigns(first: 1) { edges { node { id } } } }`);
    const id = list.data.campaigns.edges[0].node.id;
    // A Campaign, then representations that once failed the whole field (a SendLog id parsed
    // synchronously, an unknown __typename as INTERNAL_SERVER_ERROR) and left the earlier
    // entries' promises rejected with nobody listening.
    const res = await h.query(`query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Campaign { id } ... on SendLog { id } } }`, {
      reps: [
        { __typename: 'Campaign', id },
        { __typename: 'Campaign', id: 'IWg6N1ZkZFMgejpzUA' },
        { __typename: 'SendLog', id: 'OkRSSVBDRUw6aDUq' },
        { __typename: 'Nope', id },
        { __typename: 'PageInfo' },
        { id },
        'str',
        [id],
        { __typename: 'Campaign', id: 12 },
        { __typename: 'Campaign', provider: 'EMAILSENDX', providerId: { no: 1 } },
        { __typename: 'EmailLog', id: null },
      ],
    });
    expect(res.data._entities).toEqual([{ id }, null, null, null, null, null, null, null, null, null, null]);
    const errors = (res.errors ?? []).map((e) => [e.path, e.extensions?.code]).sort((a, b) => (a[0] as number[])[1]! - (b[0] as number[])[1]!);
    expect(errors).toEqual(Array.from({ length: 10 }, (_, i) => [['_entities', i + 1], 'BAD_USER_INPUT']));
  });

  it('variables or extensions that are not JSON are a 400 BAD_REQUEST, not an internal error (found by test/properties.test.ts)', async () => {
    const query = encodeURIComponent('{ __typename }');
    const answers = [
      await fetch(`${h.url}?query=${query}&variables=%F1%87%BF%AE`, { headers: { accept: 'application/json' } }),
      await fetch(`${h.url}?query=${query}&extensions={`, { headers: { accept: 'application/json' } }),
      await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body: `query=${query}&variables=nope` }),
      await fetch(h.url, {
        method: 'POST',
        headers: { 'content-type': 'multipart/form-data; boundary=x', accept: 'application/json' },
        body: `--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":"{ __typename }"}\r\n--x\r\nContent-Disposition: form-data; name="map"\r\n\r\n{"0":5}\r\n--x--\r\n`,
      }),
    ];
    for (const response of answers) {
      const body = await response.json();
      expect([response.status, body.errors.map((e: any) => e.extensions.code)]).toEqual([400, ['BAD_REQUEST']]);
    }
  });

  it('a document nested too deeply to parse is a 400, not an internal error (found by test/properties.test.ts)', async () => {
    // graphql-js parses recursively; this once ran out of stack (RangeError, INTERNAL_SERVER_ERROR).
    // The token limit now stops such documents first; past it (a raised GATEWAY_MAX_TOKENS) the
    // parser's stack overflow is GRAPHQL_PARSE_FAILED.
    for (const query of ['{A'.repeat(20_000), `{ campaigns(first: 1) ${'{ edges { node '.repeat(5000)} }`, `query ($v: ${'['.repeat(20_000)}Int) { __typename }`]) {
      const res = await h.query(query);
      expect(res.status).toBe(400);
      expect(res.errors).toHaveLength(1);
      expect(['QUERY_TOO_COMPLEX', 'GRAPHQL_PARSE_FAILED']).toContain(res.errors![0]!.extensions?.code);
    }
  });

  it('past a raised token limit, a document nested too deeply to parse is GRAPHQL_PARSE_FAILED', async () => {
    const raised = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_MAX_TOKENS: '10000000' } });
    const res = await raised.query('{A'.repeat(40_000)).finally(() => raised.close());
    expect([res.status, res.errors?.map((e) => e.extensions?.code)]).toEqual([400, ['GRAPHQL_PARSE_FAILED']]);
  });

  it('nodes takes at most 500 ids; bad entries cost only themselves', async () => {
    const tooMany = await h.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 501 }, () => 'x') });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const list = await h.query(`{ campaigns(first: 1) { edges { node { id } } } }`);
    const id = list.data.campaigns.edges[0].node.id;
    const mixed = await h.query(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: [id, 'garbage!'] });
    expect(mixed.data.nodes).toEqual([{ id }, null]);
    expect(mixed.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['nodes', 1], 'BAD_USER_INPUT']]);
  });

  it('passes the graphql-over-http server audits', async () => {
    const failures: string[] = [];
    for (const audit of serverAudits({ url: h.url, fetchFn: fetch })) {
      const result = await audit.fn();
      if (result.status === 'error') failures.push(`${audit.name}: ${result.reason}`);
    }
    expect(failures).toEqual([]);
  });
});

describe('GATEWAY_API_TOKENS and production mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_API_TOKENS: 'tok-one, tok-two', NODE_ENV: 'production' } });
  });
  afterAll(() => h.close());

  it('refuses requests without a valid token with 401 UNAUTHENTICATED', async () => {
    const none = await h.query(`{ __typename }`);
    expect(none.status).toBe(401);
    expect(none.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const wrong = await h.query(`{ __typename }`, undefined, { authorization: 'Bearer tok-three' });
    expect(wrong.status).toBe(401);
    expect(h.simulators.EMAILSENDX!.calls).toHaveLength(0);
  });

  it('leaves /health open for probes', async () => {
    const health = await fetch(h.url.replace(/\/graphql$/, '/health'));
    expect(health.status).toBe(200);
  });

  it('accepts any listed token', async () => {
    const ok = await h.query(`{ campaigns(first: 1) { edges { node { name } } } }`, undefined, { authorization: 'Bearer tok-two' });
    expect(ok.status).toBe(200);
    expect(ok.data.campaigns.edges[0].node.name).toBe('April Newsletter');
  });

  it('turns introspection and GraphiQL off', async () => {
    const res = await h.query(`{ __schema { types { name } } }`, undefined, { authorization: 'Bearer tok-one' });
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    const page = await fetch(h.url, { headers: { accept: 'text/html', authorization: 'Bearer tok-one' } });
    expect(await page.text()).not.toContain('campaigns(first: 10)');
  });

  it('keeps upstream errors readable (their codes) but hides the gateway version of internal errors', async () => {
    h.simulators.EMAILSENDX!.inject({ status: 502, body: { error: 'bad gateway' }, times: 3 });
    const res = await h.query(`{ campaigns { totalCount } }`, undefined, { authorization: 'Bearer tok-one' });
    expect(res.errors?.[0]?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', provider: 'EMAILSENDX', upstreamStatus: 502 });
  });
});

describe('every error carries a contract code', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
  });
  afterAll(() => h.close());

  it('variables their type cannot hold are BAD_USER_INPUT (HTTP 400), with no upstream call', async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['query($f: Int) { campaigns(first: $f) { totalCount } }', { f: 1e12 }],
      ['query($f: Int) { campaigns(first: $f) { totalCount } }', { f: 'x' }],
      ['query($f: CampaignFilter) { campaigns(filter: $f) { totalCount } }', { f: { status: ['NOPE'] } }],
      ['query($id: ID!) { campaign(id: $id) { id } }', {}],
    ];
    for (const [query, variables] of cases) {
      const res = await h.query(query, variables);
      expect(res.status, JSON.stringify(variables)).toBe(400);
      expect(res.errors?.[0]?.extensions?.code, JSON.stringify(variables)).toBe('BAD_USER_INPUT');
    }
    expect(h.simulators.EMAILSENDX!.calls).toHaveLength(0);
  });
});
