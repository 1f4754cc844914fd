import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it as plainIt } from 'vitest';
import { it } from './support/fixtures.js';
import { loadConfig } from '../src/config.js';

const KNOWN = '{ campaigns(first: 2, filter: { providers: [EMAILSENDX] }) { edges { node { name } } } }';
const sha = (text: string) => createHash('sha256').update(text).digest('hex');
const dir = mkdtempSync(join(tmpdir(), 'campaign-graph-operations-'));
const file = (name: string, content: unknown) => {
  const path = join(dir, name);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
};
const apolloManifest = file('apollo.json', {
  format: 'apollo-persisted-query-manifest',
  version: 1,
  operations: [{ id: sha(KNOWN), name: 'List', type: 'query', body: KNOWN }],
});

describe('GATEWAY_OPERATIONS_FILE: only known operations run', () => {
  const start = (startHarness: any) => startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_OPERATIONS_FILE: apolloManifest } });

  it('runs a known query by its text, and by its hash over POST and GET', async ({ startHarness }) => {
    const h = await start(startHarness);
    const byText = await h.query(KNOWN);
    expect(byText.errors).toBeUndefined();
    expect(byText.data.campaigns.edges).toHaveLength(2);
    const byHash = await fetch(h.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: sha(KNOWN) } } }),
    });
    expect(byHash.status).toBe(200);
    expect(((await byHash.json()) as any).data).toEqual(byText.data);
    const extensions = encodeURIComponent(JSON.stringify({ persistedQuery: { version: 1, sha256Hash: sha(KNOWN) } }));
    const byGet = await fetch(`${h.url}?extensions=${extensions}`, { headers: { accept: 'application/json' } });
    expect(byGet.status).toBe(200);
    expect(((await byGet.json()) as any).data).toEqual(byText.data);
  });

  it('refuses any other text, hash or registration with OPERATION_NOT_ALLOWED, before any upstream call', async ({ startHarness }) => {
    const h = await start(startHarness);
    const other = '{ campaigns(first: 3) { edges { node { name } } } }';
    for (const body of [
      { query: other },
      { extensions: { persistedQuery: { version: 1, sha256Hash: sha(other) } } },
      { query: other, extensions: { persistedQuery: { version: 1, sha256Hash: sha(other) } } },
      {},
    ]) {
      const res = await fetch(h.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(400);
      const json = (await res.json()) as any;
      expect(json.errors[0].extensions.code).toBe('OPERATION_NOT_ALLOWED');
    }
    expect(h.simulators.EMAILSENDX!.calls).toHaveLength(0);
  });

  plainIt('reads a plain hash -> query object too', () => {
    const config = loadConfig({ GATEWAY_OPERATIONS_FILE: file('relay.json', { [sha(KNOWN)]: KNOWN }) });
    expect([...config.knownOperations!.keys()]).toEqual([sha(KNOWN)]);
  });

  plainIt('refuses at start-up a file that is missing, not JSON, empty, or whose ids are not the hashes of their bodies', () => {
    const cases = [
      join(dir, 'missing.json'),
      file('garbage.json', 'not json'),
      file('empty.json', {}),
      file('forged.json', { [sha('{ __typename }')]: KNOWN }),
    ];
    for (const path of cases) expect(() => loadConfig({ GATEWAY_OPERATIONS_FILE: path })).toThrow(/GATEWAY_OPERATIONS_FILE/);
  });
});
