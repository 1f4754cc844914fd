import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect } from 'vitest';
import { startEmailSendXSimulator } from '../src/providers/emailsendx/simulator.js';
import { it } from './support/fixtures.js';

interface Stage {
  from: string;
  name: string | null;
  steps: Array<{ kind: 'COPY' | 'RUN' | 'ENV' | 'WORKDIR' | 'CMD'; args: string }>;
}

/** The Dockerfile's stages and their steps, read as Docker reads them (one instruction a line). */
function readDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [instruction, ...rest] = line.split(/\s+/);
    const args = rest.join(' ');
    if (instruction === 'FROM') {
      const match = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args)!;
      stages.push({ from: match[1]!, name: match[2] ?? null, steps: [] });
    } else if (['COPY', 'RUN', 'ENV', 'WORKDIR', 'CMD'].includes(instruction!)) {
      stages.at(-1)!.steps.push({ kind: instruction as Stage['steps'][number]['kind'], args });
    }
  }
  return stages;
}

describe('the Docker image, built without Docker', () => {
  const dockerfile = readDockerfile(readFileSync('Dockerfile', 'utf8'));

  it('is based on a supported Node LTS, in every stage', () => {
    for (const stage of dockerfile) {
      const major = Number(/^node:(\d+)/.exec(stage.from)?.[1]);
      expect(major, stage.from).toBeGreaterThanOrEqual(22);
      expect(major % 2, `${stage.from}: LTS lines are even`).toBe(0);
    }
  });

  it("its stages' COPY and RUN steps build a gateway that serves (node dist/main.js, production)", async ({ closeAfter }) => {
    const root = mkdtempSync(join(tmpdir(), 'cg-image-'));
    closeAfter({ close: async () => rmSync(root, { recursive: true, force: true }) });
    const dirs = new Map<string, string>();
    let runtime: { dir: string; env: Record<string, string>; cmd: string[] } | null = null;
    for (const [index, stage] of dockerfile.entries()) {
      const dir = join(root, stage.name ?? `stage${index}`);
      const env: Record<string, string> = {};
      let cmd: string[] = [];
      for (const step of stage.steps) {
        if (step.kind === 'COPY') {
          const parts = step.args.split(/\s+/);
          const fromStage = parts[0]!.startsWith('--from=') ? parts.shift()!.slice('--from='.length) : null;
          const target = resolve(dir, parts.pop()!);
          for (const source of parts) {
            const origin = fromStage ? join(dirs.get(fromStage)!, source.replace(/^\/app\/?/, '')) : resolve(source);
            const isDir = target.endsWith('/') || parts.length > 1 || !source.includes('.') || fromStage !== null;
            cpSync(origin, isDir && parts.length > 1 ? join(target, source.split('/').pop()!) : target, { recursive: true });
          }
        } else if (step.kind === 'RUN') {
          // A step that cleans npm's cache gets a cache of its own: the machine's is shared.
          const cache = /npm cache clean/.test(step.args) ? { npm_config_cache: join(root, `npm-cache-${index}`) } : {};
          execFileSync('sh', ['-c', step.args], { cwd: dir, stdio: 'pipe', env: { ...process.env, ...env, NODE_ENV: env.NODE_ENV ?? '', ...cache } });
        } else if (step.kind === 'ENV') {
          for (const pair of step.args.split(/\s+/)) {
            const [key, value] = pair.split('=');
            env[key!] = value!;
          }
        } else if (step.kind === 'WORKDIR') {
          execFileSync('mkdir', ['-p', dir]);
        } else if (step.kind === 'CMD') {
          cmd = JSON.parse(step.args) as string[];
        }
      }
      if (stage.name) dirs.set(stage.name, dir);
      runtime = { dir, env, cmd };
    }
    expect(runtime!.cmd).toEqual(['node', '--max-semi-space-size=16', 'dist/main.js']);
    expect(runtime!.env).toMatchObject({ NODE_ENV: 'production', HOST: '0.0.0.0' });

    const esx = closeAfter(await startEmailSendXSimulator({ apiKey: 'esx_image_key', rateLimitPerMinute: 1000 }));
    const child = spawn(process.execPath, runtime!.cmd.slice(1), {
      cwd: runtime!.dir,
      env: { ...runtime!.env, PATH: process.env.PATH!, HOST: '127.0.0.1', PORT: '0', EMAILSENDX_API_KEY: esx.apiKey, EMAILSENDX_BASE_URL: esx.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    closeAfter({ close: async () => void child.kill('SIGTERM') });
    const url = await new Promise<string>((done, fail) => {
      let out = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const match = /listening on (http:\/\/\S+\/graphql)/.exec(out);
        if (match) done(match[1]!);
      });
      child.once('exit', (code) => fail(new Error(`exited with ${code}: ${out}`)));
    });
    expect((await fetch(url.replace('/graphql', '/health'))).status).toBe(200);
    const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ campaigns(first: 1) { edges { node { name } } } }' }) }).then((r) => r.json());
    expect(answer.data.campaigns.edges[0].node.name).toBe('April Newsletter');
  }, 300_000);
});
