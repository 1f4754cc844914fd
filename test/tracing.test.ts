import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { Writable } from 'node:stream';
import { gunzipSync } from 'node:zlib';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { SpanKind, trace, type Span } from '@opentelemetry/api';
import { describe, expect, it as plainIt } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { cachePolicy, CacheStage } from '../src/http/cacheStage.js';
import { CallLedger, withLedger } from '../src/http/callLedger.js';
import { CircuitBreakerStage } from '../src/http/circuitBreaker.js';
import { InFlightStage } from '../src/http/inflightStage.js';
import { composePipeline, type UpstreamCall, type UpstreamResult } from '../src/http/pipeline.js';
import { RetryStage } from '../src/http/retry.js';
import { route } from '../src/http/route.js';
import { AttemptTracingStage, traceCacheLookups, TracingStage } from '../src/http/tracingStage.js';
import { UpstreamFailure } from '../src/http/upstreamFailure.js';
import { createLogger } from '../src/logging.js';
import { startEmailSendXSimulator } from '../src/providers/emailsendx/simulator.js';
import { MemoryCacheStore } from '../src/store/cacheStore.js';
import { DASHBOARD, DEMO_IDS, ESX_LOOKUP, ROUTE_TEMPLATES } from './support/demoQueries.js';
import { it, type Closable } from './support/fixtures.js';
import { startHarness as startOwnHarness } from './support/harness.js';

// ---------------------------------------------------------------------------------------------
// A loopback OTLP/HTTP receiver

interface ExportedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** OTLP's numbering: 1 internal, 2 server, 3 client. */
  kind: number;
  attributes: Record<string, unknown>;
  status: { code?: number; message?: string };
}

interface Export {
  path: string;
  contentType: string;
  /** The request body as received (decompressed), for looking for what must not be there. */
  text: string;
  /** The JSON body (http/json), else null. */
  json: any;
}

interface Receiver extends Closable {
  /** The value for OTEL_EXPORTER_OTLP_ENDPOINT. */
  endpoint: string;
  exports: Export[];
  /** Every span of every JSON export, resource attributes alongside. */
  spans(): ExportedSpan[];
  resources(): Array<Record<string, unknown>>;
}

const OTLP_KIND = { internal: 1, server: 2, client: 3 } as const;

function attributeValue(value: any): unknown {
  if ('stringValue' in value) return value.stringValue;
  if ('boolValue' in value) return value.boolValue;
  if ('intValue' in value) return Number(value.intValue);
  if ('doubleValue' in value) return value.doubleValue;
  if ('arrayValue' in value) return (value.arrayValue.values ?? []).map(attributeValue);
  return value;
}

function attributes(list: Array<{ key: string; value: unknown }> = []): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, attributeValue(value)]));
}

async function startReceiver(): Promise<Receiver> {
  const exports: Export[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
      const contentType = String(req.headers['content-type'] ?? '');
      const text = body.toString('utf8');
      exports.push({ path: req.url ?? '', contentType, text, json: contentType.startsWith('application/json') ? JSON.parse(text) : null });
      // An empty ExportTraceServiceResponse: everything accepted.
      res.writeHead(200, { 'content-type': contentType.startsWith('application/json') ? 'application/json' : 'application/x-protobuf' });
      res.end(contentType.startsWith('application/json') ? '{}' : '');
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', () => ready()));
  const resourceSpans = () => exports.flatMap((e) => e.json?.resourceSpans ?? []);
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exports,
    spans: () =>
      resourceSpans().flatMap((rs: any) =>
        rs.scopeSpans.flatMap((ss: any) =>
          ss.spans.map((s: any) => ({
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId || undefined,
            name: s.name,
            kind: s.kind,
            attributes: attributes(s.attributes),
            status: s.status ?? {},
          })),
        ),
      ),
    resources: () => resourceSpans().map((rs: any) => attributes(rs.resource.attributes)),
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** A W3C traceparent for a new trace, sampled; with the trace id and the caller's span id. */
function traceparent(): { header: string; traceId: string; parentId: string } {
  const hex = (bytes: number) => [...crypto.getRandomValues(new Uint8Array(bytes))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const traceId = hex(16);
  const parentId = hex(8);
  return { header: `00-${traceId}-${parentId}-01`, traceId, parentId };
}


function traceOf(spans: ExportedSpan[], traceId: string) {
  const inTrace = spans.filter((s) => s.traceId === traceId);
  const operations = inTrace.filter((s) => s.kind === OTLP_KIND.server);
  const calls = inTrace.filter((s) => s.kind === OTLP_KIND.internal);
  const attempts = inTrace.filter((s) => s.kind === OTLP_KIND.client);
  return { all: inTrace, operations, operation: operations[0]!, calls, attempts };
}

// ---------------------------------------------------------------------------------------------
// Over real HTTP: the gateway exporting to the receiver

describe('tracing over OTLP/HTTP', () => {
  it('a dashboard with a traceparent: the operation span continues the trace, call spans are its children by route template and status, attempts theirs; then cache hits; no key, no id', async ({
    startHarness,
    closeAfter,
  }) => {
    const receiver = closeAfter(await startReceiver());
    const h = await startHarness({
      providers: ['MIGMA', 'DRIPCEL', 'EMAILSENDX'],
      env: { MIGMA_PROJECT_ID: 'proj_demo', CACHE_TTL_S: '60', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' },
    });
    const first = traceparent();
    expect((await h.query(DASHBOARD('Dashboard'), {}, { traceparent: first.header })).errors).toBeUndefined();
    const providerCalls = Object.values(h.simulators).reduce((n, simulator) => n + simulator!.calls.length, 0);
    // The same calls under another name: the response cache misses, the call cache answers each.
    h.resetCalls();
    const second = traceparent();
    expect((await h.query(DASHBOARD('DashboardAgain'), {}, { traceparent: second.header })).errors).toBeUndefined();
    expect(h.simulators.MIGMA!.calls).toHaveLength(0);
    await h.gateway.tracing!.forceFlush();

    expect(receiver.exports.length).toBeGreaterThan(0);
    for (const e of receiver.exports) {
      expect(e.path).toBe('/v1/traces');
      expect(e.contentType).toMatch(/^application\/json/);
    }
    expect(receiver.resources()[0]).toMatchObject({ 'service.name': 'campaign-graph', 'telemetry.sdk.language': 'nodejs' });
    const spans = receiver.spans();

    // The operation: the caller's span's child, named by the operation, with the ledger's figures.
    const one = traceOf(spans, first.traceId);
    expect(one.operations).toHaveLength(1);
    expect(one.operation).toMatchObject({ name: 'query Dashboard', parentSpanId: first.parentId, status: { code: 0 } });
    expect(one.operation.attributes).toMatchObject({
      'graphql.operation.name': 'Dashboard',
      'graphql.operation.type': 'query',
      'campaign_graph.outcome': 'ok',
      'campaign_graph.upstream_calls': providerCalls,
      'campaign_graph.cache_hits': 0,
      'campaign_graph.response_cache_hit': false,
      'http.response.status_code': 200,
    });

    // Upstream calls: children of the operation span, named by provider and route template.
    expect(one.calls.length).toBeGreaterThan(5);
    for (const call of one.calls) {
      expect(call.parentSpanId).toBe(one.operation.spanId);
      expect(ROUTE_TEMPLATES).toContain(call.attributes['campaign_graph.route']);
      expect(call.name).toBe(`${call.attributes['campaign_graph.provider']} ${call.attributes['campaign_graph.route']}`);
      expect(call.attributes).toMatchObject({ 'campaign_graph.cache': 'miss', 'campaign_graph.attempts': 1 });
      // A lookup of something the provider does not have (a draft's stats) is a not-found answer, not an error.
      if (call.attributes['campaign_graph.not_found'] !== true) expect(call.attributes['http.response.status_code']).toBe(200);
      expect(call.status.code ?? 0).toBe(0);
    }
    const names = new Set(one.calls.map((c) => c.name));
    expect(names).toContain('MIGMA GET /v1/campaigns/:id/stats');
    expect(names).toContain('EMAILSENDX GET /api/v1/campaigns');
    // Dripcel's stats come from one search for every campaign of the page: a DataLoader batch, in this trace.
    expect(one.calls.filter((c) => c.name === 'DRIPCEL POST /send-logs/search')).toHaveLength(1);

    // HTTP attempts: one CLIENT span per call that reached a provider, its call's child.
    expect(one.attempts).toHaveLength(providerCalls);
    const callIds = new Set(one.calls.map((c) => c.spanId));
    for (const attempt of one.attempts) {
      expect(callIds).toContain(attempt.parentSpanId);
      expect(attempt.name).toBe(`${attempt.attributes['http.request.method']} ${attempt.attributes['url.template']}`);
      expect(attempt.attributes['campaign_graph.attempt']).toBe(1);
      expect(['200', 'not_found']).toContain(attempt.attributes['campaign_graph.attempt_status']);
    }

    // The second operation: its calls answered by the cache, without an attempt.
    const two = traceOf(spans, second.traceId);
    expect(two.operation).toMatchObject({ name: 'query DashboardAgain', parentSpanId: second.parentId });
    expect(two.operation.attributes['campaign_graph.cache_hits']).toBeGreaterThan(0);
    const hits = two.calls.filter((c) => c.attributes['campaign_graph.cache'] === 'hit');
    expect(hits.length).toBe(two.operation.attributes['campaign_graph.cache_hits']);
    for (const hit of hits) {
      expect(hit.parentSpanId).toBe(two.operation.spanId);
      expect(hit.attributes['campaign_graph.attempts']).toBe(0);
      expect(hit.attributes).not.toHaveProperty('http.response.status_code');
    }
    expect(hits.map((c) => c.name)).toContain('MIGMA GET /v1/campaigns/:id/stats');
    expect(two.attempts).toHaveLength(h.simulators.DRIPCEL!.calls.length + h.simulators.EMAILSENDX!.calls.length);

    // Nothing secret, nothing unbounded: no key, no provider id, no concrete path in any export.
    for (const e of receiver.exports) {
      for (const simulator of Object.values(h.simulators)) expect(e.text).not.toContain(simulator!.apiKey);
      for (const id of DEMO_IDS) expect(e.text).not.toContain(id);
      expect(e.text).not.toContain('proj_demo');
      expect(e.text).not.toMatch(/\/(cmp|clx)_/);
    }
  });

  it('retries: one attempt span per attempt under one call span; a call that fails for good carries its code', async ({ startHarness, closeAfter }) => {
    const receiver = closeAfter(await startReceiver());
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' } });
    const sim = h.simulators.EMAILSENDX!;
    sim.inject({ status: 503, body: { error: 'maintenance' } });
    sim.inject({ hangUp: true });
    const recovered = traceparent();
    expect((await h.query(ESX_LOOKUP, {}, { traceparent: recovered.header })).errors).toBeUndefined();
    sim.inject({ status: 503, body: { error: 'maintenance' }, times: 3 });
    const failed = traceparent();
    const answer = await h.query(ESX_LOOKUP, {}, { traceparent: failed.header });
    expect(answer.errors?.[0]?.extensions?.code).toBe('UPSTREAM_UNAVAILABLE');
    await h.gateway.tracing!.forceFlush();
    const spans = receiver.spans();

    const ok = traceOf(spans, recovered.traceId);
    expect(ok.calls).toHaveLength(1);
    expect(ok.calls[0]!.attributes).toMatchObject({ 'campaign_graph.attempts': 3, 'http.response.status_code': 200 });
    expect(ok.calls[0]!.status.code ?? 0).toBe(0);
    const attempts = [...ok.attempts].sort((a, b) => Number(a.attributes['campaign_graph.attempt']) - Number(b.attributes['campaign_graph.attempt']));
    expect(attempts.map((a) => [a.attributes['campaign_graph.attempt'], a.attributes['campaign_graph.attempt_status'], a.attributes['http.request.resend_count']])).toEqual([
      [1, '503', undefined],
      [2, 'network', 1],
      [3, '200', 2],
    ]);
    for (const attempt of attempts) expect(attempt.parentSpanId).toBe(ok.calls[0]!.spanId);
    expect(attempts[0]!.attributes).toMatchObject({ 'error.type': 'UPSTREAM_UNAVAILABLE', 'http.response.status_code': 503 });
    expect(attempts[0]!.status.code).toBe(2);

    const bad = traceOf(spans, failed.traceId);
    expect(bad.calls[0]!.attributes).toMatchObject({ 'error.type': 'UPSTREAM_UNAVAILABLE', 'http.response.status_code': 503, 'campaign_graph.attempts': 3 });
    expect(bad.calls[0]!.status).toMatchObject({ code: 2, message: 'UPSTREAM_UNAVAILABLE' });
    expect(bad.attempts).toHaveLength(3);
    expect(bad.operation.attributes).toMatchObject({ 'campaign_graph.outcome': 'error', 'campaign_graph.error_codes': ['UPSTREAM_UNAVAILABLE'] });
    expect(bad.operation.status.code).toBe(2);
    // The provider's error text is not recorded (it could name ids); the code is.
    for (const e of receiver.exports) expect(e.text).not.toContain('maintenance');
  });

  it('concurrent operations with their own traceparents: calls made in DataLoader batches and calls shared between requests land in their own trace', async ({
    startHarness,
    closeAfter,
  }) => {
    const receiver = closeAfter(await startReceiver());
    const h = await startHarness({ providers: ['DRIPCEL'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' } });
    const sim = h.simulators.DRIPCEL!;
    const query = (name: string) => `query ${name} { campaigns(first: 5, filter: { providers: [DRIPCEL] }) { edges { node { name stats { sent } } } } }`;
    // The first list call is held, so the second request's identical call joins it in flight.
    sim.inject({ route: 'GET /campaigns', delayMs: 400 });
    const a = traceparent();
    const b = traceparent();
    const first = h.query(query('First'), {}, { traceparent: a.header });
    while (sim.calls.length === 0) await new Promise((r) => setTimeout(r, 5));
    const second = h.query(query('Second'), {}, { traceparent: b.header });
    for (const answer of await Promise.all([first, second])) expect(answer.errors).toBeUndefined();
    await h.gateway.tracing!.forceFlush();
    const spans = receiver.spans();

    const byTrace = [traceOf(spans, a.traceId), traceOf(spans, b.traceId)];
    expect(byTrace.map((t) => t.operation.name)).toEqual(['query First', 'query Second']);
    for (const t of byTrace) {
      expect(t.calls.map((c) => c.name).sort()).toEqual(['DRIPCEL GET /campaigns', 'DRIPCEL POST /send-logs/search']);
      for (const call of t.calls) expect(call.parentSpanId).toBe(t.operation.spanId);
      const callIds = new Set(t.calls.map((c) => c.spanId));
      for (const attempt of t.attempts) expect(callIds).toContain(attempt.parentSpanId);
    }
    // The list: the first request's call made the attempt, the second's shared it (and has none).
    const lists = byTrace.map((t) => t.calls.find((c) => c.name === 'DRIPCEL GET /campaigns')!);
    expect(lists.map((c) => [c.attributes['campaign_graph.shared'], c.attributes['campaign_graph.attempts']])).toEqual([
      [false, 1],
      [true, 0],
    ]);
    expect(byTrace[1]!.operation.attributes['campaign_graph.shared_calls']).toBeGreaterThan(0);
    // Every attempt span is in one of the two traces: none lost to another context.
    expect(spans.filter((s) => s.kind === OTLP_KIND.client)).toHaveLength(sim.calls.length);
    expect(spans.every((s) => s.traceId === a.traceId || s.traceId === b.traceId)).toBe(true);
  });

  it('names: `query` when anonymous, `GraphQL Operation` before a document (with its code); without a traceparent a new trace; an unsampled caller is not recorded', async ({ startHarness, closeAfter }) => {
    const receiver = closeAfter(await startReceiver());
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json' } });
    expect((await h.query('{ campaigns(first: 1) { totalCount } }')).errors).toBeUndefined();
    expect((await h.query('{ campaigns(first: ')).status).toBe(400);
    // A caller that did not sample its trace: the default sampler keeps that decision, nothing is recorded.
    const unsampled = traceparent();
    expect((await h.query('query Unsampled { campaigns(first: 1) { totalCount } }', {}, { traceparent: unsampled.header.replace(/-01$/, '-00') })).errors).toBeUndefined();
    // GraphiQL's page is no operation: no span.
    const page = await fetch(h.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    await page.text();
    await h.gateway.tracing!.forceFlush();
    expect(receiver.spans().filter((s) => s.traceId === unsampled.traceId)).toEqual([]);
    const operations = receiver.spans().filter((s) => s.kind === OTLP_KIND.server);
    expect(operations.map((s) => s.name)).toEqual(['query', 'GraphQL Operation']);
    expect(operations[0]!.parentSpanId).toBeUndefined();
    expect(operations[0]!.attributes).not.toHaveProperty('graphql.operation.name');
    expect(operations[1]!.attributes).toMatchObject({ 'campaign_graph.outcome': 'error', 'campaign_graph.error_codes': ['GRAPHQL_PARSE_FAILED'], 'http.response.status_code': 400 });
  });

  plainIt('gateway.close() exports the spans not sent yet; the default protocol is http/protobuf; OTEL_SERVICE_NAME names the service', async () => {
    const receiver = await startReceiver();
    try {
      const h = await startOwnHarness({
        providers: ['EMAILSENDX'],
        env: { OTEL_EXPORTER_OTLP_ENDPOINT: `${receiver.endpoint}/`, OTEL_BSP_SCHEDULE_DELAY: '600000', OTEL_SERVICE_NAME: 'campaign-graph-eu' },
      });
      expect((await h.query(`query Closing { campaigns(first: 1) { totalCount } }`)).errors).toBeUndefined();
      expect(receiver.exports).toHaveLength(0);
      await h.close();
      expect(receiver.exports).toHaveLength(1);
      const [e] = receiver.exports;
      expect(e!.path).toBe('/v1/traces');
      expect(e!.contentType).toBe('application/x-protobuf');
      // Protobuf keeps strings as UTF-8 bytes: the names are there, the key is not.
      expect(e!.text).toContain('query Closing');
      expect(e!.text).toContain('EMAILSENDX GET /api/v1/campaigns');
      expect(e!.text).toContain('campaign-graph-eu');
      expect(e!.text).not.toContain(h.simulators.EMAILSENDX!.apiKey);
    } finally {
      await receiver.close();
    }
  });
});

describe('an unreachable collector', () => {
  it('costs spans, not answers: queries are served, close() resolves, a warning names no header value; the request log line has the trace id', async ({ closeAfter }) => {
    const sim = closeAfter(await startEmailSendXSimulator({ apiKey: 'esx_tracing_key', rateLimitPerMinute: 1000 }));
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(...chunk.toString().split('\n').filter(Boolean));
        done();
      },
    });
    const gateway = createGateway(
      loadConfig({
        EMAILSENDX_API_KEY: sim.apiKey,
        EMAILSENDX_BASE_URL: sim.url,
        NODE_ENV: 'production',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9', // the discard port: nothing listens
        OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Bearer%20otlp-secret-token',
        OTEL_EXPORTER_OTLP_TIMEOUT: '2000',
      }),
      { logger: createLogger({ level: 'info', production: true, destination: stream }) },
    );
    const { traceId, header } = traceparent();
    const response = await gateway.yoga.fetch('http://gateway/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: header },
      body: JSON.stringify({ query: ESX_LOOKUP }),
    });
    expect((await response.json()).errors).toBeUndefined();
    const started = performance.now();
    await expect(gateway.close()).resolves.toBeUndefined();
    expect(performance.now() - started).toBeLessThan(6000);
    const request = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg === 'request');
    expect(request).toMatchObject({ operation: 'Lookup', traceId });
    expect(lines.some((line) => line.includes('opentelemetry: exporting the last spans failed'))).toBe(true);
    for (const line of lines) expect(line).not.toContain('otlp-secret-token');
  });
});

// ---------------------------------------------------------------------------------------------
// Off: nothing

describe('tracing off', () => {
  plainIt('without an endpoint there is no tracing, no tracing stage, and no SDK module is loaded; with one there is', async () => {
    const script = `
      import { createRequire } from 'node:module';
      const { loadConfig } = await import('./src/config.ts');
      const { createGateway } = await import('./src/gateway.ts');
      const sdkLoaded = () => Object.keys(createRequire(import.meta.url).cache).filter((f) => /@opentelemetry[\\\\/](sdk-trace|exporter-trace|resources|core)[\\\\/]/.test(f)).length > 0;
      const env = { EMAILSENDX_API_KEY: 'k', LOG_LEVEL: 'silent' };
      const off = createGateway(loadConfig(env));
      const report = { off: { tracing: off.tracing, stages: off.connections.EMAILSENDX.stages.map((s) => s.name), sdkLoaded: sdkLoaded() } };
      await off.close();
      const on = createGateway(loadConfig({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }));
      report.on = { tracing: on.tracing !== null, stages: on.connections.EMAILSENDX.stages.map((s) => s.name), sdkLoaded: sdkLoaded() };
      await on.close();
      console.log(JSON.stringify(report));
    `;
    const root = resolve(__dirname, '..');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, timeout: 60_000 });
    const report = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(report.off).toEqual({ tracing: null, stages: ['cache', 'inflight', 'circuit', 'retry', 'quota', 'metrics'], sdkLoaded: false });
    expect(report.on).toEqual({ tracing: true, stages: ['tracing', 'cache', 'inflight', 'circuit', 'retry', 'quota', 'metrics', 'attempt-tracing'], sdkLoaded: true });
  });
});

// ---------------------------------------------------------------------------------------------
// The settings

describe('tracing settings (src/config.ts)', () => {
  const keys = { EMAILSENDX_API_KEY: 'k' };
  const variableOf = (env: Record<string, string>) => {
    try {
      loadConfig({ ...keys, ...env });
      return null;
    } catch (error) {
      return error instanceof ConfigError ? error.variable : error;
    }
  };

  plainIt('off unless an endpoint is set; OTEL_SDK_DISABLED and OTEL_TRACES_EXPORTER=none turn it off', () => {
    expect(loadConfig(keys).tracing).toBeNull();
    expect(loadConfig({ ...keys, OTEL_SERVICE_NAME: 'x' }).tracing).toBeNull();
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SDK_DISABLED: 'true' }).tracing).toBeNull();
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_TRACES_EXPORTER: 'none' }).tracing).toBeNull();
  });

  plainIt('the endpoint gets /v1/traces (after any path it has); the traces endpoint is used as given; defaults', () => {
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing).toEqual({
      url: 'http://collector:4318/v1/traces',
      protocol: 'http/protobuf',
      headers: {},
      timeoutMs: 10_000,
      compression: 'none',
      serviceName: 'campaign-graph',
      resourceAttributes: {},
      sampler: 'parentbased_always_on',
      samplerRatio: 1,
      batch: { scheduledDelayMs: 5000, exportTimeoutMs: 30_000, maxQueueSize: 2048, maxExportBatchSize: 512 },
    });
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'https://otlp.example.com/tenant-1/' }).tracing?.url).toBe('https://otlp.example.com/tenant-1/v1/traces');
    expect(
      loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/otlp/traces' }).tracing?.url,
    ).toBe('http://tempo:4318/otlp/traces');
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://tempo:4318/v1/traces' }).tracing?.url).toBe('http://tempo:4318/v1/traces');
  });

  plainIt('service name, resource attributes, headers (the traces ones win), protocol, sampler, batch settings', () => {
    const tracing = loadConfig({
      ...keys,
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318',
      OTEL_RESOURCE_ATTRIBUTES: 'service.name=from-resource,deployment.environment.name=prod%20eu',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization=Basic%20abc,x-tenant=a',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-tenant=b',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
      OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
      OTEL_BSP_SCHEDULE_DELAY: '100',
    }).tracing!;
    expect(tracing).toMatchObject({
      serviceName: 'from-resource',
      resourceAttributes: { 'deployment.environment.name': 'prod eu' },
      headers: { authorization: 'Basic abc', 'x-tenant': 'b' },
      protocol: 'http/json',
      compression: 'gzip',
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
      batch: { scheduledDelayMs: 100 },
    });
    expect(loadConfig({ ...keys, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318', OTEL_SERVICE_NAME: 'gw', OTEL_RESOURCE_ATTRIBUTES: 'service.name=other' }).tracing!.serviceName).toBe('gw');
  });

  plainIt('a bad value is a ConfigError naming its variable; a header value is never echoed', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' };
    expect(variableOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'not a url' })).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(variableOf({ OTEL_EXPORTER_OTLP_ENDPOINT: 'ftp://c:4318' })).toBe('OTEL_EXPORTER_OTLP_ENDPOINT');
    expect(variableOf({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'collector:4318' })).toBe('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    expect(variableOf({ ...endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' })).toBe('OTEL_EXPORTER_OTLP_PROTOCOL');
    expect(variableOf({ ...endpoint, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'thrift' })).toBe('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL');
    expect(variableOf({ ...endpoint, OTEL_TRACES_SAMPLER: 'jaeger_remote' })).toBe('OTEL_TRACES_SAMPLER');
    expect(variableOf({ ...endpoint, OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '2' })).toBe('OTEL_TRACES_SAMPLER_ARG');
    expect(variableOf({ ...endpoint, OTEL_BSP_MAX_QUEUE_SIZE: '10', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '20' })).toBe('OTEL_BSP_MAX_EXPORT_BATCH_SIZE');
    expect(variableOf({ ...endpoint, OTEL_SDK_DISABLED: 'maybe' })).toBe('OTEL_SDK_DISABLED');
    expect(() => loadConfig({ ...keys, ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t-value,oops' })).toThrow(ConfigError);
    try {
      loadConfig({ ...keys, ...endpoint, OTEL_EXPORTER_OTLP_HEADERS: 'api-key=s3cr3t-value,oops' });
    } catch (error) {
      expect((error as ConfigError).variable).toBe('OTEL_EXPORTER_OTLP_HEADERS');
      expect((error as Error).message).not.toContain('s3cr3t');
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The stages alone, with an in-memory exporter

const statsRoute = route({ name: 'campaignStats', call: 'GET /v1/campaigns/:id/stats', kind: 'stats', notFoundAsNull: true, read: (d) => d });

function call(overrides: Partial<UpstreamCall> = {}): UpstreamCall {
  return { provider: 'TEST', route: statsRoute, method: 'GET', path: '/v1/campaigns/cmp_secret_42/stats', query: [], scope: 'k1', idempotent: true, attempt: 1, ...overrides };
}

const ok: UpstreamResult = { status: 200, data: { sent: 1 }, headers: {} };

function memoryTracer() {
  const exporter = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  return { tracer: provider.getTracer('test'), spans: () => exporter.getFinishedSpans() };
}

const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

describe('the tracing stages', () => {
  plainIt('under an operation span: the call span is its child, the attempt span the call span’s; route templates, never the path', async () => {
    const { tracer, spans } = memoryTracer();
    const pipeline = composePipeline([new TracingStage(tracer), new AttemptTracingStage(tracer)], async () => ok);
    const ledger = new CallLedger();
    const operation: Span = tracer.startSpan('query Test', { kind: SpanKind.SERVER });
    ledger.span = operation;
    await expect(withLedger(ledger, () => pipeline(call()))).resolves.toBe(ok);
    operation.end();
    const [attempt, callSpan] = spans();
    expect(callSpan!.name).toBe('TEST GET /v1/campaigns/:id/stats');
    expect(parentOf(callSpan!)).toBe(operation.spanContext().spanId);
    expect(callSpan!.spanContext().traceId).toBe(operation.spanContext().traceId);
    expect(attempt!.name).toBe('GET /v1/campaigns/:id/stats');
    expect(attempt!.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(attempt!)).toBe(callSpan!.spanContext().spanId);
    expect(callSpan!.attributes).toMatchObject({ 'campaign_graph.cache': 'off', 'campaign_graph.attempts': 1, 'campaign_graph.shared': false, 'http.response.status_code': 200 });
    expect(JSON.stringify(spans().map((s) => s.attributes))).not.toContain('cmp_secret_42');
  });

  plainIt('a cache hit: a call span with cache hit and no attempt; a stale answer: cache stale after the failed attempts', async () => {
    const { tracer, spans } = memoryTracer();
    let now = 0;
    const cache = new CacheStage(new MemoryCacheStore({ maxEntries: 100, maxBytes: 1e6 }), cachePolicy(60, 600), () => now, traceCacheLookups);
    const retry = new RetryStage({ retries: 1, backoffBaseMs: 1, backoffMaxMs: 1, maxRetryAfterMs: 0 }, async () => undefined);
    let answer: UpstreamResult | Error = ok;
    const pipeline = composePipeline([new TracingStage(tracer), cache, retry, new AttemptTracingStage(tracer)], async () => {
      if (answer instanceof Error) throw answer;
      return answer;
    });
    await pipeline(call());
    await pipeline(call());
    now += 120_000; // past the TTL, within the stale window
    answer = new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST 503', { upstreamStatus: 503 });
    await expect(pipeline(call())).resolves.toMatchObject({ data: ok.data });
    const calls = spans().filter((s) => s.kind === SpanKind.INTERNAL);
    expect(calls.map((s) => [s.attributes['campaign_graph.cache'], s.attributes['campaign_graph.attempts']])).toEqual([
      ['miss', 1],
      ['hit', 0],
      ['stale', 2],
    ]);
    expect(calls[1]!.attributes).not.toHaveProperty('http.response.status_code');
    expect(calls[2]!.status.code).toBe(0); // answered, stale
    expect(spans().filter((s) => s.kind === SpanKind.CLIENT)).toHaveLength(3);
  });

  plainIt('an open circuit: an error call span with the code, local, no attempt; a call shared with one in flight: shared, no attempt', async () => {
    const { tracer, spans } = memoryTracer();
    const circuit = new CircuitBreakerStage('TEST', { threshold: 1, cooldownMs: 60_000 });
    const failing = composePipeline([new TracingStage(tracer), circuit, new AttemptTracingStage(tracer)], async () => {
      throw new UpstreamFailure('UPSTREAM_UNAVAILABLE', 'TEST', 'TEST 503', { upstreamStatus: 503 });
    });
    await expect(failing(call())).rejects.toBeInstanceOf(UpstreamFailure);
    await expect(failing(call())).rejects.toThrow(/circuit is open/);
    const [first, refused] = spans().filter((s) => s.kind === SpanKind.INTERNAL);
    expect(first!.attributes).toMatchObject({ 'error.type': 'UPSTREAM_UNAVAILABLE', 'campaign_graph.attempts': 1, 'http.response.status_code': 503 });
    expect(refused!.attributes).toMatchObject({ 'error.type': 'UPSTREAM_UNAVAILABLE', 'campaign_graph.attempts': 0, 'campaign_graph.local': true, 'campaign_graph.shared': false });
    expect(refused!.attributes['campaign_graph.retry_after_s']).toBeGreaterThan(0);

    const shared = memoryTracer();
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const pipeline = composePipeline([new TracingStage(shared.tracer), new InFlightStage(), new AttemptTracingStage(shared.tracer)], async () => {
      await held;
      return ok;
    });
    const both = Promise.all([pipeline(call()), pipeline(call())]);
    release();
    await both;
    const calls = shared.spans().filter((s) => s.kind === SpanKind.INTERNAL);
    expect(calls.map((s) => [s.attributes['campaign_graph.shared'], s.attributes['campaign_graph.attempts']]).sort()).toEqual([
      [false, 1],
      [true, 0],
    ]);
  });

  plainIt('outside a traced operation a call starts a trace of its own', async () => {
    const { tracer, spans } = memoryTracer();
    await composePipeline([new TracingStage(tracer)], async () => ok)(call());
    expect(spans()[0]!.parentSpanContext).toBeUndefined();
    expect(trace.getActiveSpan()).toBeUndefined();
  });
});
