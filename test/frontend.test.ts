import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMMUTABLE } from '../src/frontend/assets.js';
import { COMPRESSION_MIN_BYTES, isCompressible, preferredEncoding } from '../src/frontend/compression.js';
import { EXAMPLE_TABS } from '../src/frontend/exampleTabs.js';
import { startDemoGateway, type DemoGateway } from './support/demoGateway.js';
import { DASHBOARD } from './support/demoQueries.js';
import { startHarness, type Harness } from './support/harness.js';

/** What came over the wire, bytes as sent (fetch would decode br/gzip itself). */
interface Raw {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

function raw(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(url, { method: options.method ?? 'GET', headers: options.headers, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks) }));
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end(options.body);
  });
}

function postGraphQL(url: string, body: object, headers: Record<string, string> = {}): Promise<Raw> {
  return raw(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...headers },
    body: JSON.stringify(body),
  });
}

function decode(response: Raw): Buffer {
  const encoding = response.headers['content-encoding'];
  if (encoding === 'br') return brotliDecompressSync(response.body);
  if (encoding === 'gzip') return gunzipSync(response.body);
  expect(encoding ?? 'identity').toBe('identity');
  return response.body;
}

function varies(response: Raw): string[] {
  return String(response.headers.vary ?? '')
    .split(',')
    .map((v) => v.trim().toLowerCase())
    .filter(Boolean);
}

const IDENTITY = { 'accept-encoding': 'identity' };
const ENCODINGS = ['br', 'gzip'] as const;

/** The sha256 prefix StaticFiles names a file by. */
const contentHash = (body: Buffer) => createHash('sha256').update(body).digest('hex').slice(0, 16);

/** `/x/y/name.<16 hex>.ext` → the hex; null when the path is not hashed. */
const hashOf = (path: string) => /\.([0-9a-f]{16})\.[a-z]+$/.exec(path)?.[1] ?? null;

const EXPECTED_TYPES: Record<string, RegExp> = {
  js: /^text\/javascript; charset=utf-8$/,
  css: /^text\/css; charset=utf-8$/,
  ico: /^image\/x-icon$/,
  svg: /^image\/svg\+xml$/,
};

describe('preferredEncoding', () => {
  it('br over gzip when both are accepted equally, the higher q otherwise', () => {
    expect(preferredEncoding('gzip, deflate, br')).toBe('br');
    expect(preferredEncoding('br, gzip')).toBe('br');
    expect(preferredEncoding('gzip;q=0.8, br;q=0.8')).toBe('br');
    expect(preferredEncoding('gzip;q=1.0, br;q=0.5')).toBe('gzip');
    expect(preferredEncoding('gzip; q=0.9, br ; q = 0.3')).toBe('gzip');
    expect(preferredEncoding('br;q=0.001, gzip;q=0')).toBe('br');
    expect(preferredEncoding('GZIP')).toBe('gzip');
    expect(preferredEncoding('x-gzip')).toBe('gzip');
    expect(preferredEncoding('gzip')).toBe('gzip');
    expect(preferredEncoding('br')).toBe('br');
  });

  it('q=0 refuses an encoding', () => {
    expect(preferredEncoding('br;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(preferredEncoding('gzip;q=0.0')).toBeNull();
  });

  it('`*` stands for every encoding not named', () => {
    expect(preferredEncoding('*')).toBe('br');
    expect(preferredEncoding('*;q=0.5')).toBe('br');
    expect(preferredEncoding('br;q=0, *')).toBe('gzip');
    expect(preferredEncoding('*, br;q=0, gzip;q=0')).toBeNull();
    expect(preferredEncoding('*;q=0')).toBeNull();
    expect(preferredEncoding('*;q=0, gzip')).toBe('gzip');
  });

  it('identity, identity;q=0, unknown encodings and no header: nothing to compress with', () => {
    expect(preferredEncoding(null)).toBeNull();
    expect(preferredEncoding('')).toBeNull();
    expect(preferredEncoding('identity')).toBeNull();
    expect(preferredEncoding('identity;q=0')).toBeNull();
    expect(preferredEncoding('deflate, compress, zstd')).toBeNull();
    // Refusing identity does not refuse the encodings that are named.
    expect(preferredEncoding('identity;q=0, gzip')).toBe('gzip');
    expect(preferredEncoding('identity;q=0, *')).toBe('br');
  });
});

describe('isCompressible', () => {
  it('GraphQL answers, pages, scripts, styles, SVG and Prometheus text', () => {
    for (const type of [
      'application/json',
      'application/json; charset=utf-8',
      'application/graphql-response+json; charset=utf-8',
      'text/html',
      'text/html; charset=utf-8',
      'TEXT/HTML',
      '  text/css; charset=utf-8',
      'text/javascript; charset=utf-8',
      'application/javascript',
      'text/plain; version=0.0.4; charset=utf-8',
      'image/svg+xml',
      'image/x-icon',
    ]) {
      expect(isCompressible(type), type).toBe(true);
    }
  });

  it('not streams (SSE, multipart), already compressed formats, unknown bytes or no type', () => {
    for (const type of [null, '', 'text/event-stream', 'multipart/mixed; boundary="-"', 'image/png', 'image/jpeg', 'application/octet-stream', 'application/gzip', 'application/jsonp', 'font/woff2']) {
      expect(isCompressible(type), String(type)).toBe(false);
    }
  });
});

describe('GraphiQL, compression and the dashboard, over HTTP in demo mode', () => {
  let g: DemoGateway;
  let page: Raw;
  let assets: string[];
  beforeAll(async () => {
    g = await startDemoGateway();
    page = await raw(g.url, { headers: { accept: 'text/html', ...IDENTITY } });
    const html = page.body.toString();
    const config = JSON.parse(/<script type="application\/json" id="graphiql-config">([^<]*)<\/script>/.exec(html)![1]!);
    assets = [...new Set([...[...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!), ...(Object.values(config.workers) as string[])])];
  }, 60_000);
  afterAll(() => g?.close());

  it('GraphiQL is a page under 10 KB that references only same-origin files named by content hash', () => {
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['content-encoding']).toBeUndefined();
    expect(page.body.byteLength).toBeLessThan(10 * 1024);
    expect(page.body.byteLength).toBeGreaterThan(COMPRESSION_MIN_BYTES);
    const html = page.body.toString();
    // Nothing from beyond the gateway: no absolute or protocol-relative URL anywhere in the page.
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/(?:src|href)="\/\//);
    // The bundle, its styles, the boot script, the icon and Monaco's three workers.
    expect(assets).toHaveLength(7);
    for (const asset of assets) {
      expect(asset).toMatch(/^\/graphiql\/assets\/[a-z.]+\.[0-9a-f]{16}\.(js|css|ico)$/);
    }
    expect(assets.filter((a) => a.endsWith('.js'))).toHaveLength(5);
    expect(assets.filter((a) => a.endsWith('.css'))).toHaveLength(1);
    expect(assets.filter((a) => a.endsWith('.ico'))).toHaveLength(1);
  });

  it('GraphiQL opens with EXAMPLE_TABS as its tabs, variables included', () => {
    const html = page.body.toString();
    const config = JSON.parse(/id="graphiql-config">([^<]*)<\/script>/.exec(html)![1]!);
    expect(config.options.defaultTabs).toEqual(EXAMPLE_TABS.map((tab) => ({ ...tab })));
    expect(config.options.defaultQuery).toBe(EXAMPLE_TABS[0]!.query);
    expect(config.options.title).toBe('campaign-graph');
  });

  it('each hashed asset: its content hash is its name, cached for a year, the right type, an ETag; If-None-Match gives 304 with no body', async () => {
    for (const asset of assets) {
      const file = await raw(g.origin + asset, { headers: IDENTITY });
      expect(file.status, asset).toBe(200);
      expect(file.headers['cache-control'], asset).toBe('public, max-age=31536000, immutable');
      expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
      expect(file.headers['content-type'], asset).toMatch(EXPECTED_TYPES[asset.split('.').pop()!]!);
      expect(file.headers['x-content-type-options']).toBe('nosniff');
      expect(file.body.byteLength, asset).toBeGreaterThan(0);
      expect(Number(file.headers['content-length'])).toBe(file.body.byteLength);
      expect(contentHash(file.body), asset).toBe(hashOf(asset));
      const etag = file.headers.etag!;
      expect(etag).toBe(`"${hashOf(asset)}"`);

      const again = await raw(g.origin + asset, { headers: { ...IDENTITY, 'if-none-match': etag } });
      expect(again.status, asset).toBe(304);
      expect(again.body.byteLength).toBe(0);
      expect(again.headers.etag).toBe(etag);
      expect(again.headers['cache-control']).toBe(IMMUTABLE);
      // Weak comparison, and a list of candidates.
      expect((await raw(g.origin + asset, { headers: { ...IDENTITY, 'if-none-match': `"0000000000000000", W/${etag}` } })).status).toBe(304);
      expect((await raw(g.origin + asset, { headers: { ...IDENTITY, 'if-none-match': '"0000000000000000"' } })).status).toBe(200);

      const head = await raw(g.origin + asset, { method: 'HEAD', headers: IDENTITY });
      expect(head.status).toBe(200);
      expect(head.body.byteLength).toBe(0);
      expect(Number(head.headers['content-length'])).toBe(file.body.byteLength);
    }
  });

  it('an unknown hash, an unknown name or the folder itself is a 404; other methods a 405', async () => {
    const script = assets.find((a) => /\/graphiql\.[0-9a-f]{16}\.js$/.test(a))!;
    for (const path of [
      script.replace(/\.[0-9a-f]{16}\./, '.0123456789abcdef.'),
      script.replace(/\.[0-9a-f]{16}\./, '.'),
      '/graphiql/assets/nope.0123456789abcdef.js',
      '/graphiql/assets/',
    ]) {
      const response = await raw(g.origin + path, { headers: IDENTITY });
      expect(response.status, path).toBe(404);
      expect(response.headers['cache-control'], path).toBe('no-store');
    }
    const post = await raw(g.origin + script, { method: 'POST', body: 'x' });
    expect(post.status).toBe(405);
    expect(post.headers.allow).toBe('GET, HEAD');
  });

  it('large assets come back br or gzip as asked, vary: accept-encoding, and decode to the identical bytes', async () => {
    const large = assets.filter((a) => /\.(js|css)$/.test(a));
    let compressedAny = 0;
    for (const asset of large) {
      const identity = await raw(g.origin + asset, { headers: IDENTITY });
      expect(varies(identity)).toContain('accept-encoding');
      if (identity.body.byteLength < COMPRESSION_MIN_BYTES) {
        // boot.js: too small to be worth it.
        const small = await raw(g.origin + asset, { headers: { 'accept-encoding': 'br, gzip' } });
        expect(small.headers['content-encoding'], asset).toBeUndefined();
        expect(small.body.equals(identity.body)).toBe(true);
        continue;
      }
      for (const encoding of ENCODINGS) {
        const encoded = await raw(g.origin + asset, { headers: { 'accept-encoding': encoding } });
        expect(encoded.status).toBe(200);
        expect(encoded.headers['content-encoding'], `${asset} ${encoding}`).toBe(encoding);
        expect(varies(encoded)).toContain('accept-encoding');
        expect(encoded.headers['cache-control']).toBe(IMMUTABLE);
        expect(Number(encoded.headers['content-length'])).toBe(encoded.body.byteLength);
        expect(encoded.body.byteLength).toBeLessThan(identity.body.byteLength);
        expect(decode(encoded).equals(identity.body), `${asset} ${encoding}`).toBe(true);
        // Each representation has its own validator; either one revalidates.
        expect(encoded.headers.etag).toBe(`"${hashOf(asset)}-${encoding}"`);
        const revalidated = await raw(g.origin + asset, { headers: { 'accept-encoding': encoding, 'if-none-match': encoded.headers.etag! } });
        expect(revalidated.status).toBe(304);
        expect(revalidated.body.byteLength).toBe(0);
        compressedAny++;
      }
    }
    // graphiql.js, graphiql.css and the three workers, in both encodings.
    expect(compressedAny).toBe(10);
  }, 60_000);

  it('the GraphiQL page and a GraphQL answer over 1 KB are compressed when accepted, byte-identical once decoded', async () => {
    const answer = await postGraphQL(g.url, { query: DASHBOARD('Dashboard') }, IDENTITY);
    expect(answer.status).toBe(200);
    expect(answer.body.byteLength).toBeGreaterThan(COMPRESSION_MIN_BYTES);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(varies(answer)).toContain('accept-encoding');
    const body = JSON.parse(answer.body.toString());
    expect(body.errors).toBeUndefined();
    expect(body.data.campaigns.edges).toHaveLength(30);
    for (const encoding of ENCODINGS) {
      const encoded = await postGraphQL(g.url, { query: DASHBOARD('Dashboard') }, { 'accept-encoding': encoding });
      expect(encoded.status).toBe(200);
      expect(encoded.headers['content-encoding']).toBe(encoding);
      expect(encoded.headers['content-type']).toMatch(/^application\/graphql-response\+json/);
      expect(varies(encoded)).toContain('accept-encoding');
      expect(Number(encoded.headers['content-length'])).toBe(encoded.body.byteLength);
      expect(encoded.body.byteLength).toBeLessThan(answer.body.byteLength);
      expect(decode(encoded).equals(answer.body), encoding).toBe(true);
      expect(encoded.headers['x-request-id']).toBeTruthy();

      const graphiql = await raw(g.url, { headers: { accept: 'text/html', 'accept-encoding': encoding } });
      expect(graphiql.headers['content-encoding']).toBe(encoding);
      expect(varies(graphiql)).toContain('accept-encoding');
      expect(decode(graphiql).equals(page.body)).toBe(true);
    }
    // By GET too (a persisted or cacheable query).
    const get = await raw(`${g.url}?query=${encodeURIComponent(DASHBOARD('Dashboard'))}`, { headers: { accept: 'application/json', 'accept-encoding': 'gzip' } });
    expect(get.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(decode(get).toString()).data).toEqual(body.data);
  });

  it('the Accept-Encoding weights decide over HTTP too', async () => {
    const cases: Array<[string, string | undefined]> = [
      ['gzip;q=1, br;q=0.5', 'gzip'],
      ['br;q=0, gzip', 'gzip'],
      ['*', 'br'],
      ['gzip, br', 'br'],
      ['identity;q=0, gzip', 'gzip'],
      ['identity', undefined],
      ['deflate', undefined],
      ['*;q=0', undefined],
    ];
    for (const [accept, expected] of cases) {
      const response = await postGraphQL(g.url, { query: DASHBOARD('Dashboard') }, { 'accept-encoding': accept });
      expect(response.headers['content-encoding'], accept).toBe(expected);
      expect(JSON.parse(decode(response).toString()).data.campaigns.edges, accept).toHaveLength(30);
    }
  });

  it('a body under 1 KB is sent as it is, even when compression is accepted (still vary: accept-encoding)', async () => {
    const tiny = await postGraphQL(g.url, { query: '{ __typename }' }, { 'accept-encoding': 'br, gzip' });
    expect(tiny.status).toBe(200);
    expect(tiny.headers['content-encoding']).toBeUndefined();
    expect(tiny.body.toString()).toBe('{"data":{"__typename":"Query"}}');
    expect(varies(tiny)).toContain('accept-encoding');
    const lookup = await postGraphQL(g.url, { query: '{ campaignByProviderId(provider: EMAILSENDX, providerId: "clx_camp_april_nl_id") { name stats { openRate } } }' }, { 'accept-encoding': 'gzip' });
    expect(lookup.body.byteLength).toBeLessThan(COMPRESSION_MIN_BYTES);
    expect(lookup.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(lookup.body.toString()).data.campaignByProviderId.name).toBe('April Newsletter');
  });

  it('every example tab runs in demo mode with its variables: no errors, every field answered, every connection non-empty', async () => {
    expect(EXAMPLE_TABS.length).toBe(3);
    // Every connection anywhere in the answer has rows (fields such as sentAt may be null).
    const connectionsHaveRows = (value: unknown, path: string): void => {
      if (Array.isArray(value)) value.forEach((item, i) => connectionsHaveRows(item, `${path}.${i}`));
      else if (value && typeof value === 'object') {
        if ('edges' in value) expect((value as { edges: unknown[] }).edges.length, `${path}.edges`).toBeGreaterThan(0);
        for (const [key, child] of Object.entries(value)) connectionsHaveRows(child, `${path}.${key}`);
      }
    };
    const answers: any[] = [];
    for (const tab of EXAMPLE_TABS) {
      const variables = tab.variables ? JSON.parse(tab.variables) : undefined;
      const response = await postGraphQL(g.url, { query: tab.query, variables }, IDENTITY);
      const body = JSON.parse(response.body.toString());
      const name = /query (\w+)/.exec(tab.query)![1]!;
      expect(response.status, name).toBe(200);
      expect(body.errors, name).toBeUndefined();
      expect(Object.keys(body.data).length, name).toBeGreaterThan(0);
      for (const [field, value] of Object.entries(body.data)) {
        expect(value, `${name}.${field}`).not.toBeNull();
        connectionsHaveRows(value, `${name}.${field}`);
      }
      answers.push(body.data);
    }
    const [dashboard, logs, across] = answers;
    // The dashboard: campaigns of all three providers that list campaigns, with rates.
    const nodes = dashboard.campaigns.edges.map((e: any) => e.node);
    expect(nodes).toHaveLength(30);
    expect(new Set(nodes.map((n: any) => n.provider))).toEqual(new Set(['MIGMA', 'DRIPCEL', 'EMAILSENDX']));
    expect(nodes.some((n: any) => typeof n.stats?.openRate === 'number' && typeof n.stats?.bounceRate === 'number')).toBe(true);
    expect(dashboard.campaigns.pageInfo.hasNextPage).toBe(true);
    // Paging logs: each of the three connections has rows and a next page.
    expect(logs.migma.name).toBe('Webinar Reminder');
    for (const connection of [logs.migma.recipientLogs, logs.sendLogs, logs.emailLogs]) {
      expect(connection.edges).toHaveLength(5);
      expect(connection.pageInfo.hasNextPage).toBe(true);
      expect(connection.pageInfo.endCursor).toEqual(expect.any(String));
    }
    // Across providers: a campaign of each of the four, each with stats.
    expect(Object.keys(across).sort()).toEqual(['dripcel', 'emailsendx', 'infobip', 'migma']);
    for (const [alias, campaign] of Object.entries<any>(across)) {
      expect(campaign.provider).toBe(alias.toUpperCase());
      expect(campaign.stats.sent, alias).toBeGreaterThan(0);
    }
    expect(across.emailsendx.name).toBe('April Newsletter');

    // The paging tab does what its comment says: endCursors in the variables give the next pages.
    const pagingTab = EXAMPLE_TABS[1]!;
    const next = await postGraphQL(
      g.url,
      {
        query: pagingTab.query,
        variables: {
          recipientLogsAfter: logs.migma.recipientLogs.pageInfo.endCursor,
          sendLogsAfter: logs.sendLogs.pageInfo.endCursor,
          emailLogsAfter: logs.emailLogs.pageInfo.endCursor,
        },
      },
      IDENTITY,
    );
    const second = JSON.parse(next.body.toString());
    expect(second.errors).toBeUndefined();
    const rows = (data: any) => [data.migma.recipientLogs, data.sendLogs, data.emailLogs].map((c) => c.edges.map((e: any) => JSON.stringify(e.node)));
    const [firstRows, secondRows] = [rows(logs), rows(second.data)];
    for (let i = 0; i < 3; i++) {
      expect(secondRows[i]!.length).toBeGreaterThan(0);
      expect(secondRows[i]!.filter((row: string) => firstRows[i]!.includes(row))).toEqual([]);
    }
  });

  it('/dashboard and its files are served in demo mode: HTML page revalidated by ETag, hashed assets of the right types, nothing from elsewhere', async () => {
    for (const path of ['/dashboard', '/dashboard/']) {
      const response = await raw(g.origin + path, { headers: IDENTITY });
      expect(response.status, path).toBe(200);
      expect(response.headers['content-type'], path).toBe('text/html; charset=utf-8');
      expect(response.headers['cache-control']).toBe('no-cache');
      expect(response.headers.etag).toMatch(/^"[0-9a-f]{16}"$/);
      const revalidated = await raw(g.origin + path, { headers: { ...IDENTITY, 'if-none-match': response.headers.etag! } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.body.byteLength).toBe(0);
    }
    const dashboard = await raw(`${g.origin}/dashboard`, { headers: IDENTITY });
    const html = dashboard.body.toString();
    expect(html).toContain('<title>Campaign dashboard');
    expect(html).not.toMatch(/https?:\/\//);
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!).filter((r) => r !== '/graphql');
    expect(references.map((r) => r.split('.').pop()).sort()).toEqual(['css', 'js', 'svg']);
    for (const reference of references) {
      expect(reference).toMatch(/^\/dashboard\/assets\/[a-z]+\.[0-9a-f]{16}\.(js|css|svg)$/);
      const file = await raw(g.origin + reference, { headers: IDENTITY });
      expect(file.status, reference).toBe(200);
      expect(file.headers['content-type'], reference).toMatch(EXPECTED_TYPES[reference.split('.').pop()!]!);
      expect(file.headers['cache-control']).toBe(IMMUTABLE);
      expect(contentHash(file.body)).toBe(hashOf(reference));
      expect(file.headers.etag).toBe(`"${hashOf(reference)}"`);
      if (file.body.byteLength >= COMPRESSION_MIN_BYTES) {
        const br = await raw(g.origin + reference, { headers: { 'accept-encoding': 'br' } });
        expect(br.headers['content-encoding']).toBe('br');
        expect(decode(br).equals(file.body)).toBe(true);
      }
    }
    // The page itself is over 1 KB: compressed when accepted.
    const gz = await raw(`${g.origin}/dashboard`, { headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(decode(gz).equals(dashboard.body)).toBe(true);
    expect((await raw(`${g.origin}/dashboard/assets/dashboard.0123456789abcdef.js`, { headers: IDENTITY })).status).toBe(404);
    expect((await raw(`${g.origin}/dashboard/index.html`, { headers: IDENTITY })).status).toBe(404);
  });

  it('/metrics under compression: still Prometheus text of the right type, decodable, every sample line well formed', async () => {
    // A request first, so there are operation samples.
    await postGraphQL(g.url, { query: '{ __typename }' });
    for (const encoding of [...ENCODINGS, 'identity'] as const) {
      const metrics = await raw(`${g.origin}/metrics`, { headers: { 'accept-encoding': encoding } });
      expect(metrics.status).toBe(200);
      expect(metrics.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(metrics.headers['content-encoding']).toBe(encoding === 'identity' ? undefined : encoding);
      const text = decode(metrics).toString();
      expect(text).toMatch(/^# HELP /m);
      expect(text).toMatch(/^# TYPE \w+ (counter|gauge|histogram|summary)$/m);
      // prom-client writes NaN as `Nan`; Prometheus reads floats case-insensitively (Go's ParseFloat).
      const samples = text.split('\n').filter((line) => line && !line.startsWith('#'));
      expect(samples.length).toBeGreaterThan(20);
      for (const line of samples) {
        expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*"(?:,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\]|\\.)*")*,?\})? (?:[-+]?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|NaN|Inf)|[-+]Inf)(?: \d+)?$/i);
      }
    }
  });

  it('HEAD with compression accepted: headers only, no body, and the gateway keeps answering', async () => {
    for (const path of ['/metrics', '/ready', '/dashboard', assets.find((a) => a.includes('/graphiql.') && a.endsWith('.js'))!]) {
      const head = await raw(g.origin + path, { method: 'HEAD', headers: { 'accept-encoding': 'br, gzip' } });
      expect(head.status, path).toBe(200);
      expect(head.body.byteLength, path).toBe(0);
      expect(head.headers['content-type'], path).toBeTruthy();
    }
    const health = await raw(`${g.origin}/health`, { method: 'HEAD', headers: { 'accept-encoding': 'gzip' } });
    expect(health.status).toBe(200);
    expect(health.body.byteLength).toBe(0);
    const after = await postGraphQL(g.url, { query: '{ __typename }' }, { 'accept-encoding': 'gzip' });
    expect(after.status).toBe(200);
  });

  it('HEAD /graphql answers as GET /graphql does, without the body: the GraphiQL page for a browser, a query for a client', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8', ...IDENTITY };
    const page = await raw(g.url, { headers: html });
    const pageHead = await raw(g.url, { method: 'HEAD', headers: html });
    expect(page.status).toBe(200);
    expect(page.body.byteLength).toBeGreaterThan(0);
    expect(pageHead.status).toBe(200);
    expect(pageHead.body.byteLength).toBe(0);
    expect(pageHead.headers['content-type']).toBe(page.headers['content-type']);
    expect(pageHead.headers['content-type']).toMatch(/^text\/html/);
    expect(pageHead.headers['x-request-id']).toBeTruthy();

    const json = { accept: 'application/graphql-response+json, application/json', ...IDENTITY };
    const query = `${g.url}?query=${encodeURIComponent('{ __typename }')}`;
    const get = await raw(query, { headers: json });
    const head = await raw(query, { method: 'HEAD', headers: json });
    expect(get.status).toBe(200);
    expect(JSON.parse(get.body.toString())).toEqual({ data: { __typename: 'Query' } });
    expect(head.status).toBe(200);
    expect(head.body.byteLength).toBe(0);
    expect(head.headers['content-type']).toBe(get.headers['content-type']);

    // GET's own refusals hold for HEAD: no query is a 400, as it is for GET.
    const bare = await raw(g.url, { headers: json });
    const bareHead = await raw(g.url, { method: 'HEAD', headers: json });
    expect(bare.status).toBe(400);
    expect(bareHead.status).toBe(bare.status);
    expect(bareHead.body.byteLength).toBe(0);
  });

  // No Subscription type and no @defer/@stream in the schema, but yoga answers any query as
  // text/event-stream or multipart/mixed when that is all the client accepts: those stay streams.
  it('a query answered as text/event-stream is not compressed or buffered into one body: its events decode to the JSON answer', async () => {
    const query = DASHBOARD('Dashboard');
    const json = JSON.parse((await postGraphQL(g.url, { query }, IDENTITY)).body.toString());
    const sse = await postGraphQL(g.url, { query }, { accept: 'text/event-stream', 'accept-encoding': 'br, gzip' });
    expect(sse.status).toBe(200);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(['none', undefined]).toContain(sse.headers['content-encoding']);
    expect(sse.headers['content-length']).toBeUndefined();
    const events = sse.body
      .toString()
      .split('\n\n')
      .map((block) => block.trim())
      .filter((block) => block.startsWith('event:'));
    expect(events.map((e) => /^event: (\w+)/.exec(e)![1])).toEqual(['next', 'complete']);
    const data = JSON.parse(/^data: (.*)$/m.exec(events[0]!)![1]!);
    expect(data.data).toEqual(json.data);
  });

  it('a query answered as multipart/mixed is not compressed: its part decodes to the JSON answer', async () => {
    const query = DASHBOARD('Dashboard');
    const json = JSON.parse((await postGraphQL(g.url, { query }, IDENTITY)).body.toString());
    const multipart = await postGraphQL(g.url, { query }, { accept: 'multipart/mixed', 'accept-encoding': 'br, gzip' });
    expect(multipart.status).toBe(200);
    expect(multipart.headers['content-type']).toMatch(/^multipart\/mixed/);
    expect(multipart.headers['content-encoding']).toBeUndefined();
    const part = multipart.body.toString().split('\r\n\r\n')[1]!;
    expect(JSON.parse(part.slice(0, part.lastIndexOf('}') + 1)).data).toEqual(json.data);
  });
});

describe('outside demo mode', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ providers: ['EMAILSENDX'] });
  });
  afterAll(() => h?.close());

  it('/dashboard and its files are 404; GraphiQL and its assets are still served', async () => {
    const demo = await startDemoGateway();
    let references: string[];
    try {
      const html = (await raw(`${demo.origin}/dashboard`, { headers: IDENTITY })).body.toString();
      references = [...html.matchAll(/(?:src|href)="(\/dashboard\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    } finally {
      await demo.close();
    }
    expect(references).toHaveLength(3);
    const origin = new URL(h.url).origin;
    for (const path of ['/dashboard', '/dashboard/', ...references]) {
      const response = await raw(origin + path, { headers: IDENTITY });
      expect(response.status, path).toBe(404);
      expect(response.body.toString(), path).not.toContain('Campaign dashboard');
    }
    const graphiql = await raw(h.url, { headers: { accept: 'text/html', ...IDENTITY } });
    expect(graphiql.status).toBe(200);
    const asset = /src="(\/graphiql\/assets\/[^"]+\.js)"/.exec(graphiql.body.toString())![1]!;
    expect((await raw(origin + asset, { method: 'HEAD', headers: IDENTITY })).status).toBe(200);
  }, 60_000);
});
