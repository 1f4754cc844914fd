import { Writable } from 'node:stream';
import { describe, expect } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createGateway } from '../src/gateway.js';
import { createLogger } from '../src/logging.js';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { it } from './support/fixtures.js';

const KEY = 'mgma_sk_live_logging_secret_7f3a9b2c';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

describe('request ids and structured logs', () => {
  it('every response carries x-request-id (the caller\'s own when sane); one JSON line per request; errors one line each; no secret anywhere', async ({ closeAfter }) => {
    const migma = closeAfter(await startMigmaSimulator({ apiKey: KEY, rateLimitPerMinute: 1000 }));
    const { lines, stream } = capture();
    const logger = createLogger({ level: 'info', production: true, destination: stream });
    const gateway = createGateway(loadConfig({ MIGMA_API_KEY: KEY, MIGMA_BASE_URL: migma.url, NODE_ENV: 'production', UPSTREAM_RETRIES: '0', CACHE_TTL_S: '0' }), { logger });
    closeAfter(gateway);
    const ask = (body: object, headers: Record<string, string> = {}) =>
      gateway.yoga.fetch('http://gateway/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

    const own = await ask({ query: 'query Detail { campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name } }', operationName: 'Detail' }, { 'x-request-id': 'req-123.abc' });
    expect(own.headers.get('x-request-id')).toBe('req-123.abc');
    await own.text();
    const insane = await ask({ query: '{ __typename }' }, { 'x-request-id': 'bad id with spaces\u0000'.repeat(3) });
    expect(insane.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    await insane.text();
    migma.inject({ status: 401, body: { success: false, error: `key ${KEY} revoked` } });
    const failed = await ask({ query: '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name } }' }, { authorization: `Bearer ${KEY}` });
    expect(failed.headers.get('x-request-id')).toBeTruthy();
    await failed.text();
    const health = await gateway.yoga.fetch('http://gateway/health');
    expect(health.headers.get('x-request-id')).toBeTruthy();

    const records = lines.map((line) => JSON.parse(line));
    const requests = records.filter((r) => r.msg === 'request');
    expect(requests).toHaveLength(3);
    expect(requests[0]).toMatchObject({ requestId: 'req-123.abc', operation: 'Detail', status: 200, upstreamCalls: 1, cacheHits: 0 });
    expect(typeof requests[0].durationMs).toBe('number');
    for (const line of lines) {
      expect(line).not.toContain(KEY);
      expect(line).not.toContain('\n');
    }
  });
});
