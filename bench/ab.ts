/**
 * A/B of two builds of campaign-graph on the Mesh scenario (issue 11's execution work):
 * `npx tsx bench/ab.ts DIR_A DIR_B [DIR_C ...]`, each DIR a built `dist` directory inside the
 * repository (for example a copy of dist made before a change, and dist itself), optionally
 * `DIR:NODE` to run that build on another Node binary (`dist dist:/path/to/node24/bin/node`). One Migma
 * simulator in this process, each build started as the Mesh comparison starts campaign-graph
 * (startCampaignGraph: production, no cache, no quota), rounds interleaved in a rotating order,
 * requests per server CPU-second per round, medians and per-round ratios to the first build.
 * Every answer is checked (compare.ts's load). Knobs: AB_ROUNDS (7), AB_REQUESTS (1500),
 * AB_CONCURRENCY (16), AB_NODE_ARGS.
 */
import { resolve } from 'node:path';
import { Agent } from 'undici';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { load, median } from './mesh/compare.js';
import { CAMPAIGN_GRAPH_QUERY, checkCampaignGraphAnswer, migmaBenchData, startCampaignGraph, type Peer } from './mesh/peers.js';
import { cpuSeconds, round } from './processStats.js';

const ROUNDS = Number(process.env.AB_ROUNDS ?? 7);
const REQUESTS = Number(process.env.AB_REQUESTS ?? 1500);
const CONCURRENCY = Number(process.env.AB_CONCURRENCY ?? 16);
const nodeArgs = (process.env.AB_NODE_ARGS ?? '').split(' ').filter(Boolean);
const builds = process.argv.slice(2).map((arg) => {
  const [dir, node] = arg.split(/:(.*)/s, 2) as [string, string | undefined];
  return { label: arg, dir: resolve(dir), node: node ? resolve(node) : undefined };
});
const dirs = builds.map((b) => b.label);
if (dirs.length < 2) throw new Error('usage: npx tsx bench/ab.ts DIST_A DIST_B [...]');

const data = migmaBenchData(200);
const ids = data.campaigns.map((c) => c.id);
const simulator = await startMigmaSimulator({ apiKey: 'bench_ab_migma', rateLimitPerMinute: 1e9, data });
const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
const body = (n: number) => {
  const id = ids[n % ids.length]!;
  return { body: JSON.stringify({ query: CAMPAIGN_GRAPH_QUERY, variables: { id } }), check: (text: string) => checkCampaignGraphAnswer(JSON.parse(text), data, id) };
};

const peers: Peer[] = [];
try {
  for (const build of builds) peers.push(await startCampaignGraph({ migmaUrl: simulator.url, migmaKey: simulator.apiKey, nodeArgs, entry: `${build.dir}/main.js`, node: build.node }));
  const run = async (peer: Peer, count: number, first: number) => {
    const { errors, samples } = await load({ peer, body }, agent, count, CONCURRENCY, first);
    if (errors) throw new Error(`${peer.name}: ${errors} wrong answers, e.g. ${samples[0]}`);
  };
  for (const peer of peers) await run(peer, 3000, 0);
  const perRound: number[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const figures: number[] = new Array(peers.length);
    for (let k = 0; k < peers.length; k++) {
      const i = (k + r) % peers.length;
      const cpu0 = cpuSeconds(peers[i]!.pid);
      await run(peers[i]!, REQUESTS, r * REQUESTS);
      figures[i] = REQUESTS / (cpuSeconds(peers[i]!.pid) - cpu0);
    }
    perRound.push(figures);
    console.log(`round ${r + 1}: ${figures.map((f) => Math.round(f)).join('  ')}`);
  }
  dirs.forEach((dir, i) => {
    const ratio = median(perRound.map((f) => f[i]! / f[0]!));
    console.log(`${dir}: median ${Math.round(median(perRound.map((f) => f[i]!)))} req/CPU-s, ${round(ratio, 3)} x the first (per-round ratios, median)`);
  });
} finally {
  await Promise.all(peers.map((peer) => peer.stop()));
  await agent.close();
  await simulator.close();
}
