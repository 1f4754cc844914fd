import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { describe, expect } from 'vitest';
import { startEmailSendXSimulator } from '../src/providers/emailsendx/simulator.js';
import { it } from './support/fixtures.js';

/** The pattern test/processes.test.ts, test/dockerfile.test.ts, bench/run.ts and bench/mesh/peers.ts wait for. */
const LISTENING = /listening on (http:\/\/\S+\/graphql)/;

interface Run {
  child: ChildProcess;
  url: string | null;
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** `node --import tsx src/main.ts` with exactly `env` over a clean base (no provider keys of the machine's). */
function start(env: Record<string, string>): Run {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(MIGMA|DRIPCEL|EMAILSENDX|INFOBIP)_|^(NODE_ENV|LOG_LEVEL|DEMO_FAULTS|GATEWAY_|CURSOR_SECRET|REDIS_URL|OTEL_)/.test(key)),
  ) as Record<string, string>;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: process.cwd(), env: { ...base, HOST: '127.0.0.1', PORT: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, url: null, stdout: () => out, stderr: () => err, exited };
}

/** Waits for the listening line on stdout; rejects if the process ends first. */
async function listening(run: Run): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = LISTENING.exec(run.stdout());
    if (match) return (run.url = match[1]!);
    if (run.child.exitCode !== null) throw new Error(`exited with ${run.child.exitCode}:\n${run.stdout()}\n${run.stderr()}`);
    if (Date.now() > deadline) throw new Error(`no listening line:\n${run.stdout()}\n${run.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** SIGTERM to this test's own child (by its pid), then its exit code. */
async function stop(run: Run): Promise<number | null> {
  if (run.child.exitCode === null) run.child.kill('SIGTERM');
  return run.exited;
}

/** The closable form of a run, for closeAfter: kills it by pid if a test failed half way. */
const closing = (run: Run) => ({ close: async () => void (run.child.exitCode === null && run.child.kill('SIGKILL')) });

function lines(text: string): string[] {
  return text.split('\n').filter((line) => line.length > 0);
}

/** Every line is one JSON object with pino's level (number), time (ISO 8601) and msg. */
function records(text: string): Array<Record<string, any>> {
  return lines(text).map((line) => {
    let record: unknown;
    expect(() => (record = JSON.parse(line)), line).not.toThrow();
    expect(record, line).toBeTypeOf('object');
    const r = record as Record<string, any>;
    expect(r.level, line).toBeTypeOf('number');
    expect(r.time, line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(r.msg, line).toBeTypeOf('string');
    expect(r.service).toBe('campaign-graph');
    return r;
  });
}

describe('start-up and shutdown lines (src/main.ts through pino)', () => {
  it('production: every line on stdout is one JSON object (level, time, msg), the listening line among them, and no key, token or secret in any', async ({ closeAfter }) => {
    const KEY = 'esx_live_startup_secret_9c1f4e7a2b';
    const TOKEN = 'tok-startup-secret-5d0e8a';
    const CURSOR = 'cursor-secret-startup-71d0c3';
    const esx = closeAfter(await startEmailSendXSimulator({ apiKey: KEY, rateLimitPerMinute: 1000 }));
    const run = start({ NODE_ENV: 'production', EMAILSENDX_API_KEY: KEY, EMAILSENDX_BASE_URL: esx.url, GATEWAY_API_TOKENS: TOKEN, CURSOR_SECRET: CURSOR, DEMO_FAULTS: 'MIGMA:*=503' });
    closeAfter(closing(run));
    const url = await listening(run);
    // The gateway works, with the token (a request at the default production level, warn, logs nothing).
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` }, body: JSON.stringify({ query: '{ campaigns(first: 1) { edges { node { name } } } }' }) });
    expect((await answer.json()).data.campaigns.edges[0].node.name).toBe('April Newsletter');
    expect(await stop(run)).toBe(0);

    const logged = records(run.stdout());
    expect(logged.map((r) => [r.level, r.msg])).toEqual([
      [40, 'DEMO_FAULTS is ignored: provider keys are set, and faults are played by the demo simulators only'],
      [30, `listening on ${url} (providers: EMAILSENDX)`],
      [30, 'SIGTERM received, draining connections'],
    ]);
    expect(logged[1]).toMatchObject({ url, providers: ['EMAILSENDX'], graphiql: false });
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
    for (const text of [run.stdout(), run.stderr()]) {
      for (const secret of [KEY, TOKEN, CURSOR]) expect(text).not.toContain(secret);
    }
    expect(run.stderr()).toBe('');
  }, 60_000);

  it('LOG_LEVEL=silent (the bench): the announcements still come, as JSON, and nothing else (the CURSOR_SECRET warning is silenced)', async ({ closeAfter }) => {
    const run = start({ NODE_ENV: 'production', GATEWAY_DEMO: 'true', LOG_LEVEL: 'silent', DEMO_FAULTS: 'INFOBIP:*=slow-body' });
    closeAfter(closing(run));
    const url = await listening(run);
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
    expect(await stop(run)).toBe(0);
    expect(records(run.stdout()).map((r) => [r.level, r.msg])).toEqual([
      [30, 'DEMO MODE (no provider keys set): serving built-in simulators of MIGMA, DRIPCEL, EMAILSENDX, INFOBIP on loopback; set a provider key to use real APIs'],
      [30, 'DEMO_FAULTS: INFOBIP * answers slow-body'],
      [30, `listening on ${url} (providers: MIGMA, DRIPCEL, EMAILSENDX, INFOBIP)`],
      [30, 'SIGTERM received, draining connections'],
    ]);
    expect(run.stderr()).toBe('');
  }, 60_000);

  it('LOG_LEVEL=info in production: request lines are JSON too, next to the announcements', async ({ closeAfter }) => {
    const run = start({ NODE_ENV: 'production', GATEWAY_DEMO: 'true', LOG_LEVEL: 'info', CURSOR_SECRET: 'cursor-secret-info-run' });
    closeAfter(closing(run));
    const url = await listening(run);
    await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'startup-log-req' }, body: JSON.stringify({ query: 'query Probe { __typename }' }) }).then((r) => r.text());
    expect(await stop(run)).toBe(0);
    const logged = records(run.stdout());
    expect(logged.find((r) => r.msg === 'request')).toMatchObject({ level: 30, requestId: 'startup-log-req', operation: 'Probe', status: 200 });
    expect(logged.filter((r) => LISTENING.test(r.msg))).toHaveLength(1);
    expect(run.stdout()).not.toContain('cursor-secret-info-run');
  }, 60_000);

  it('development: readable single lines (pino-pretty), not JSON, with the same messages', async ({ closeAfter }) => {
    const run = start({ NODE_ENV: 'development' });
    closeAfter(closing(run));
    const url = await listening(run);
    expect(await stop(run)).toBe(0);
    const text = lines(run.stdout());
    for (const line of text) {
      expect(() => JSON.parse(line), line).toThrow();
      expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN): /);
    }
    expect(text.some((line) => line.includes('INFO: DEMO MODE (no provider keys set)'))).toBe(true);
    expect(text.some((line) => line.includes(`INFO: listening on ${url} (providers: MIGMA, DRIPCEL, EMAILSENDX, INFOBIP; GraphiQL at that URL)`))).toBe(true);
    expect(text.at(-1)).toContain('INFO: SIGTERM received, draining connections');
    // No escape codes when stdout is not a terminal.
    expect(run.stdout()).not.toContain('\u001b[');
  }, 60_000);

  it('a failure to start (the port is taken) is one JSON fatal line and exit 1; a bad variable one plain line on stderr', async ({ closeAfter }) => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', () => resolve()));
    closeAfter({ close: () => new Promise<void>((resolve) => holder.close(() => resolve())) });
    const port = (holder.address() as AddressInfo).port;
    const taken = start({ NODE_ENV: 'production', GATEWAY_DEMO: 'true', PORT: String(port) });
    closeAfter(closing(taken));
    expect(await taken.exited).toBe(1);
    const logged = records(taken.stdout());
    const fatal = logged.filter((r) => r.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.msg).toMatch(/^failed to start: listen EADDRINUSE/);
    expect(fatal[0]!.err).toMatchObject({ code: 'EADDRINUSE' });
    expect(logged.some((r) => LISTENING.test(r.msg))).toBe(false);

    const bad = start({ NODE_ENV: 'production', GATEWAY_DEMO: 'true', PORT: 'abc' });
    closeAfter(closing(bad));
    expect(await bad.exited).toBe(1);
    expect(bad.stdout()).toBe('');
    expect(bad.stderr()).toBe('campaign-graph: configuration error: PORT: must be a whole number; got "abc"\n');
  }, 60_000);
});
