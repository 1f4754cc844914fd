/**
 * A/B of two builds of campaign-graph on the Mesh scenario (issue 11's execution work):
 * `npx tsx bench/ab.ts DIR_A DIR_B [DIR_C ...]`, each DIR a built `dist` directory (for example a
 * copy of dist made before a change, and dist itself). One Migma simulator in this process, each
 * build a child process (`node DIR/main.js`, production, no cache, no quota), rounds interleaved in
 * a rotating order, requests per server CPU-second per round, medians and per-round ratios to the
 * first build. Every answer is checked. Knobs: AB_ROUNDS (7), AB_REQUESTS (1500), AB_CONCURRENCY (16).
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { Agent, request } from 'undici';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { CAMPAIGN_GRAPH_QUERY, ROOT_DIR, checkCampaignGraphAnswer, migmaBenchData } from './mesh/peers.js';
import { cpuSeconds, round } from './processStats.js';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 7);
const REQUESTS = Number(process.env.AB_REQUESTS ?? 1500);
const CONCURRENCY = Number(process.env.AB_CONCURRENCY ?? 16);
const dirs = process.argv.slice(2).map((d) => resolve(d));
if (dirs.length < 2) throw new Error('usage: npx tsx bench/ab.ts DIST_A DIST_B [...]');

const data = migmaBenchData(200);
const ids = data.campaigns.map((c) => c.id);
const simulator = await startMigmaSimulator({ apiKey: 'bench_ab_migma', rateLimitPerMinute: 1e9, data });

async function start(dir: string) {
  const child = spawn(process.execPath, [...(process.env.AB_NODE_ARGS ?? '').split(' ').filter(Boolean), `${dir}/main.js`], {
    cwd: ROOT_DIR,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      PATH: process.env.PATH!, NODE_ENV: 'production', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent',
      CURSOR_SECRET: 'bench-ab', CACHE_TTL_S: '0', MIGMA_RATE_LIMIT_PER_MINUTE: '0',
      MIGMA_API_KEY: simulator.apiKey, MIGMA_BASE_URL: simulator.url,
    },
  });
  let out = '';
  const url = await new Promise<string>((done, fail) => {
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /listening on (http:\/\/\S+\/graphql)/.exec(out);
      if (m) done(m[1]!);
    });
    child.once('exit', (code) => fail(new Error(`${dir} exited ${code}: ${out}`)));
  });
  return { dir, url, pid: child.pid!, child };
}

const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
async function load(url: string, count: number, first: number) {
  let issued = 0;
  let errors = 0;
  const worker = async () => {
    while (issued < count) {
      const id = ids[(first + issued++) % ids.length]!;
      const response = await request(url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: CAMPAIGN_GRAPH_QUERY, variables: { id } }) });
      const text = await response.body.text();
      if (response.statusCode !== 200 || checkCampaignGraphAnswer(JSON.parse(text), data, id)) errors++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return errors;
}

const builds = [];
for (const dir of dirs) builds.push(await start(dir));
try {
  for (const b of builds) await load(b.url, 3000, 0);
  const perRound: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const figures: number[] = new Array(builds.length);
    for (let k = 0; k < builds.length; k++) {
      const i = (k + r) % builds.length;
      const b = builds[i]!;
      const cpu0 = cpuSeconds(b.pid);
      const errors = await load(b.url, REQUESTS, r * REQUESTS);
      if (errors) throw new Error(`${b.dir}: ${errors} wrong answers`);
      figures[i] = REQUESTS / (cpuSeconds(b.pid) - cpu0);
    }
    perRound.push(figures);
    console.log(`round ${r + 1}: ${figures.map((f) => Math.round(f)).join('  ')}`);
  }
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  builds.forEach((b, i) => {
    const ratio = median(perRound.map((f) => f[i]! / f[0]!));
    console.log(`${b.dir}: median ${Math.round(median(perRound.map((f) => f[i]!)))} req/CPU-s, ${round(ratio, 3)} x the first (per-round ratios, median)`);
  });
} finally {
  for (const b of builds) b.child.kill('SIGTERM');
  await agent.close();
  await simulator.close();
}
