import { spawn, type ChildProcess } from 'node:child_process';
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
});
