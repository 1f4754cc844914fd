import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
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
    expect([...config.knownOperations!.operations.keys()]).toEqual([sha(KNOWN)]);
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

describe('GATEWAY_OPERATIONS_FILE reloaded: on SIGHUP (src/main.ts) and when the file changes', () => {
  const OTHER = '{ campaigns(first: 1, filter: { providers: [EMAILSENDX] }) { totalCount } }';
  const manifest = (...bodies: string[]) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations: bodies.map((body) => ({ id: sha(body), body })) });
  const code = (res: { errors?: Array<{ extensions?: { code?: string } }> }) => res.errors?.[0]?.extensions?.code;
  const metric = async (url: string, line: RegExp) => line.exec(await (await fetch(url.replace('/graphql', '/metrics'))).text())?.[1];

  it('reloadOperations: a new manifest applies to the next request; a broken one is refused and the operations in force stay', async ({ startHarness }) => {
    const path = file('reload.json', manifest(KNOWN));
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_OPERATIONS_FILE: path }, gateway: { operationsPollMs: 0 } });
    expect(code(await h.query(OTHER))).toBe('OPERATION_NOT_ALLOWED');
    expect(await metric(h.url, /^known_operations (\d+)$/m)).toBe('1');

    writeFileSync(path, JSON.stringify(manifest(KNOWN, OTHER)));
    expect(h.gateway.reloadOperations('test')).toEqual({ loaded: 2 });
    const other = await h.query(OTHER);
    expect(other.errors).toBeUndefined();
    expect(other.data.campaigns.totalCount).toBeGreaterThan(0);
    expect((await h.query(KNOWN)).errors).toBeUndefined();

    // Broken in each way start-up refuses: the two operations stay in force.
    for (const broken of ['{"format": "apollo-persisted-query-manifest", "version": 1, "operations": [', JSON.stringify({ [sha('{ __typename }')]: OTHER }), '{}']) {
      writeFileSync(path, broken);
      const outcome = h.gateway.reloadOperations('test');
      expect(outcome).toMatchObject({ kept: 2 });
      expect((outcome as { refused: string }).refused).toMatch(/reload\.json/);
      expect((await h.query(OTHER)).errors).toBeUndefined();
    }
    // Removed from the manifest: refused again.
    writeFileSync(path, JSON.stringify(manifest(KNOWN)));
    expect(h.gateway.reloadOperations('test')).toEqual({ loaded: 1 });
    expect(code(await h.query(OTHER))).toBe('OPERATION_NOT_ALLOWED');
    expect(await metric(h.url, /^operations_file_reloads_total\{outcome="loaded"\} (\d+)$/m)).toBe('2');
    expect(await metric(h.url, /^operations_file_reloads_total\{outcome="refused"\} (\d+)$/m)).toBe('3');
    expect(await metric(h.url, /^known_operations (\d+)$/m)).toBe('1');
  });

  it('a changed file is picked up by itself, within the poll interval', async ({ startHarness }) => {
    const path = file('watched.json', manifest(KNOWN));
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_OPERATIONS_FILE: path }, gateway: { operationsPollMs: 50 } });
    expect(code(await h.query(OTHER))).toBe('OPERATION_NOT_ALLOWED');
    writeFileSync(path, JSON.stringify(manifest(KNOWN, OTHER)));
    await expect.poll(async () => code(await h.query(OTHER)) ?? 'ran', { timeout: 5000, interval: 50 }).toBe('ran');
    expect(h.gateway.operations!.operations.size).toBe(2);
  });

  it('a Kubernetes ConfigMap swapped under the path (..data relinked to a new directory) is picked up too', async ({ startHarness }) => {
    // The kubelet's layout: name -> ..data/name, ..data -> ..<timestamp>/, and an update writes a
    // new timestamped directory and renames a new ..data link over the old one. The file the
    // gateway was given is never written: only the link two steps away changes.
    const mount = mkdtempSync(join(dir, 'configmap-'));
    const version = (name: string, content: unknown) => {
      mkdirSync(join(mount, name));
      writeFileSync(join(mount, name, 'operations.json'), JSON.stringify(content));
    };
    version('..2026_12_02_first', manifest(KNOWN));
    symlinkSync('..2026_12_02_first', join(mount, '..data'));
    symlinkSync('..data/operations.json', join(mount, 'operations.json'));
    const path = join(mount, 'operations.json');
    const h = await startHarness({ providers: ['EMAILSENDX'], env: { GATEWAY_OPERATIONS_FILE: path }, gateway: { operationsPollMs: 50 } });
    expect(code(await h.query(OTHER))).toBe('OPERATION_NOT_ALLOWED');
    version('..2026_12_02_second', manifest(KNOWN, OTHER));
    symlinkSync('..2026_12_02_second', join(mount, '..data_tmp'));
    renameSync(join(mount, '..data_tmp'), join(mount, '..data'));
    await expect.poll(async () => code(await h.query(OTHER)) ?? 'ran', { timeout: 5000, interval: 50 }).toBe('ran');
    expect(h.gateway.operations!.operations.size).toBe(2);
    expect(await metric(h.url, /^operations_file_reloads_total\{outcome="loaded"\} (\d+)$/m)).toBe('1');
  });

  it('no file, nothing to reload: null', async ({ startHarness }) => {
    const h = await startHarness({ providers: ['EMAILSENDX'] });
    expect(h.gateway.operations).toBeNull();
    expect(h.gateway.reloadOperations('test')).toBeNull();
    expect(await metric(h.url, /^(known_operations) /m)).toBeUndefined();
  });
});
