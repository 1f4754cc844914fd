import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { it } from './support/fixtures.js';

/** Starts a command that runs the gateway and resolves with its URL once it listens. */
function launch(command: string, args: string[], env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(command, args, { cwd: process.cwd(), env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`no listening line: ${out}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]! });
      }
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${out}`)));
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function listening(url: string): Promise<boolean> {
  try {
    await fetch(url.replace('/graphql', '/health'));
    return true;
  } catch {
    return false;
  }
}

describe('processes', () => {
  it('SIGTERM to `npm start` drains and ends the gateway too (npm passes it on)', async () => {
    const { child, url } = await launch('npm', ['start'], {});
    expect(await listening(url)).toBe(true);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(await listening(url)).toBe(false);
  }, 60_000);

  it('SIGINT to the gateway process itself drains and exits', async () => {
    const { child, url } = await launch(process.execPath, ['--import', 'tsx', 'src/main.ts'], {});
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
    expect(await listening(url)).toBe(false);
  }, 60_000);

  it('a request in flight at SIGTERM completes before the gateway exits', async ({ closeAfter }) => {
    const migma = closeAfter(await startMigmaSimulator({ apiKey: 'mgma_sigterm_key', rateLimitPerMinute: 1000 }));
    migma.inject({ delayMs: 1500, times: 10 });
    const { child, url } = await launch(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      MIGMA_API_KEY: migma.apiKey,
      MIGMA_BASE_URL: migma.url,
      CACHE_TTL_S: '0',
    });
    const inFlight = fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name } }' }),
    }).then((r) => r.json());
    await new Promise((resolve) => setTimeout(resolve, 500));
    child.kill('SIGTERM');
    const answer = await inFlight;
    expect(answer).toEqual({ data: { campaignByProviderId: { name: 'Webinar Reminder' } } });
    expect(await exited(child)).toBe(0);
  }, 60_000);

  it('SIGHUP reloads GATEWAY_OPERATIONS_FILE; a broken file is refused with an error line, and the gateway goes on', async ({ closeAfter }) => {
    const migma = closeAfter(await startMigmaSimulator({ apiKey: 'mgma_sighup_key', rateLimitPerMinute: 1000 }));
    const NAME = '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { name } }';
    const STATUS = '{ campaignByProviderId(provider: MIGMA, providerId: "cmp_mg_webinar") { status } }';
    const manifest = (...bodies: string[]) =>
      JSON.stringify({ format: 'apollo-persisted-query-manifest', version: 1, operations: bodies.map((body) => ({ id: createHash('sha256').update(body).digest('hex'), body })) });
    const path = join(mkdtempSync(join(tmpdir(), 'campaign-graph-sighup-')), 'operations.json');
    writeFileSync(path, manifest(NAME));
    const { child, url } = await launch(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      MIGMA_API_KEY: migma.apiKey,
      MIGMA_BASE_URL: migma.url,
      GATEWAY_OPERATIONS_FILE: path,
      NODE_ENV: 'production',
    });
    closeAfter({ close: async () => void (child.exitCode === null && child.kill('SIGKILL')) });
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const ask = async (query: string) =>
      (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as any;
    const lineWith = (text: string) => out.split('\n').filter(Boolean).map((line) => JSON.parse(line)).find((record) => record.msg.includes(text));

    expect((await ask(STATUS)).errors[0].extensions.code).toBe('OPERATION_NOT_ALLOWED');
    writeFileSync(path, manifest(NAME, STATUS));
    child.kill('SIGHUP');
    await expect.poll(() => lineWith('reloaded (SIGHUP)'), { timeout: 10_000 }).toMatchObject({ level: 30, operations: 2 });
    expect(await ask(STATUS)).toEqual({ data: { campaignByProviderId: { status: expect.any(String) } } });

    writeFileSync(path, '{"format": "apollo-persisted-query-manifest", "operations": [');
    child.kill('SIGHUP');
    await expect.poll(() => lineWith('not reloaded (SIGHUP)'), { timeout: 10_000 }).toMatchObject({ level: 50, operations: 2, variable: 'GATEWAY_OPERATIONS_FILE' });
    expect(child.exitCode).toBeNull();
    expect(await ask(STATUS)).toEqual({ data: { campaignByProviderId: { status: expect.any(String) } } });
    expect((await ask(NAME)).data.campaignByProviderId.name).toBe('Webinar Reminder');

    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  }, 60_000);
});
