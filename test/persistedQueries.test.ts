import { createHash } from 'node:crypto';
import { describe, expect } from 'vitest';
import { it } from './support/fixtures.js';
import { startRedis } from './support/redis.js';

const QUERY = '{ campaigns(first: 2) { edges { node { name } } } }';
const HASH = createHash('sha256').update(QUERY).digest('hex');
const extensions = { persistedQuery: { version: 1, sha256Hash: HASH } };

describe('automatic persisted queries (Apollo protocol)', () => {
  it('unknown hash: PERSISTED_QUERY_NOT_FOUND; query + hash registers and runs; then the hash alone runs, by POST and by GET', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const post = (body: object) => fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, json: await r.json() }));
    const missing = await post({ extensions });
    expect(missing.json.errors[0]).toMatchObject({ message: 'PersistedQueryNotFound', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
    const registered = await post({ query: QUERY, extensions });
    expect(registered.json.data.campaigns.edges).toHaveLength(2);
    const byHash = await post({ extensions });
    expect(byHash.json).toEqual(registered.json);
    const url = `${h.url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`;
    const get = await fetch(url, { headers: { accept: 'application/json' } }).then((r) => r.json());
    expect(get).toEqual(registered.json);
  });

  it('a hash that is not the query\'s, or a malformed extension, is BAD_REQUEST', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    const wrong = await h.query(QUERY, undefined);
    expect(wrong.errors).toBeUndefined();
    const res = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ __typename }', extensions }),
    }).then((r) => r.json());
    expect(res.errors[0].extensions.code).toBe('BAD_REQUEST');
    const malformed = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: '../../etc' } } }),
    }).then((r) => r.json());
    expect(malformed.errors[0].extensions.code).toBe('BAD_REQUEST');
  });

  it('with REDIS_URL, a query one instance registered is known to another', async ({ startHarness, closeAfter }) => {
    const redis = await startRedis();
    closeAfter({ close: () => redis.stop() });
    const a = await startHarness({ providers: ['EMAILSENDX'], env: { REDIS_URL: redis.url } });
    const b = await startHarness({ simulators: { EMAILSENDX: a.simulators.EMAILSENDX! }, env: { REDIS_URL: redis.url } });
    const post = (url: string, body: object) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
    await post(a.url, { query: QUERY, extensions });
    const fromB = await post(b.url, { extensions });
    expect(fromB.data.campaigns.edges).toHaveLength(2);
    expect(await redis.client.get(`cg:v1:apq:${HASH}`)).toContain('campaigns(first: 2)');
  });
});
