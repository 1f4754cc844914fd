/**
 * Where campaign-graph's CPU goes on the Mesh scenario (issue 11): `npx tsx bench/profile.ts`.
 *
 * Builds the gateway, starts it (`node --cpu-prof dist/main.js`, production, no cache, no quota)
 * against a Migma simulator in this process, sends the side-by-side scenario (one campaign's
 * stats plus its first 50 recipient logs, a different campaign per request) and stops it by pid.
 * Then it summarises the V8 CPU profile: self time by package (our code, graphql-js, yoga and
 * whatwg-node, undici, node internals, GC) and the hottest functions, printed and written to
 * bench/profile.json. The profile itself goes to a temporary directory.
 *
 * With PROFILE_HEAP=1 it samples allocations instead (bench/heapSampler.mjs: V8's sampling heap
 * profiler, freed objects counted) and writes bytes allocated per request by function and by
 * package to bench/allocation.json.
 *
 * Knobs: PROFILE_REQUESTS (3000), PROFILE_CONCURRENCY (16), PROFILE_NO_BUILD=1, PROFILE_HEAP=1.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { Agent, request } from 'undici';
import { startMigmaSimulator } from '../src/providers/migma/simulator.js';
import { cpuSeconds, round } from './processStats.js';
import { CAMPAIGN_GRAPH_QUERY, buildCampaignGraph, checkCampaignGraphAnswer, migmaBenchData, startCampaignGraph } from './mesh/peers.js';

const REQUESTS = Number(process.env.PROFILE_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.PROFILE_CONCURRENCY ?? 16);
const HEAP = process.env.PROFILE_HEAP === '1';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The bucket a frame's self time is counted in. */
function bucketOf(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC';
  if (functionName === '(idle)' || functionName === '(program)') return functionName;
  if (!url) return 'native / V8 builtins';
  if (url.startsWith('node:')) return 'node internals';
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) {
    const name = modules[1]!;
    if (name.startsWith('@whatwg-node') || name === 'graphql-yoga' || name.startsWith('@graphql-yoga') || name.startsWith('@envelop')) return 'yoga, envelop, whatwg-node';
    return name;
  }
  const ours = /\/dist\/(.*)$/.exec(url);
  return ours ? `campaign-graph: ${ours[1]!.split('/').slice(0, -1).join('/') || '.'}` : url;
}

export function summarise(profile: CpuProfile): { totalMs: number; busyMs: number; byBucket: Record<string, number>; topFunctions: { name: string; ms: number; share: number }[] } {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byBucket: Record<string, number> = {};
  const byFunction = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    totalUs += us;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const bucket = bucketOf(url, functionName);
    byBucket[bucket] = (byBucket[bucket] ?? 0) + us;
    const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const key = `${functionName || '(anonymous)'} ${short}:${lineNumber + 1}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const busyUs = totalUs - idleUs;
  const sortedBuckets = Object.fromEntries(
    Object.entries(byBucket)
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => [name, round(us / 1000, 0)]),
  );
  const topFunctions = [...byFunction.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 40)
    .map(([name, us]) => ({ name, ms: round(us / 1000, 0), share: round(us / busyUs, 3) }));
  return { totalMs: round(totalUs / 1000, 0), busyMs: round(busyUs / 1000, 0), byBucket: sortedBuckets, topFunctions };
}

interface HeapNode {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
}

/** Bytes allocated per request, by package and by the function that allocated (a sampling heap profile of `requests`). */
export function summariseAllocation(head: HeapNode, requests: number): { kibPerRequest: number; byBucket: Record<string, number>; topFunctions: { name: string; bytesPerRequest: number }[] } {
  const byBucket = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (node.selfSize) {
      total += node.selfSize;
      const bucket = bucketOf(url, functionName);
      byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + node.selfSize);
      const key = `${functionName || '(anonymous)'} ${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}`;
      byFunction.set(key, (byFunction.get(key) ?? 0) + node.selfSize);
    }
    for (const child of node.children) walk(child);
  };
  walk(head);
  const perRequest = (bytes: number) => round(bytes / requests, 0);
  return {
    kibPerRequest: round(total / requests / 1024, 1),
    byBucket: Object.fromEntries([...byBucket].sort((a, b) => b[1] - a[1]).map(([name, bytes]) => [name, perRequest(bytes)])),
    topFunctions: [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([name, bytes]) => ({ name, bytesPerRequest: perRequest(bytes) })),
  };
}

async function main(): Promise<void> {
  if (process.env.PROFILE_NO_BUILD !== '1') buildCampaignGraph();
  const data = migmaBenchData(200);
  const simulator = await startMigmaSimulator({ apiKey: 'bench-key', rateLimitPerMinute: 1e9, data });
  const dir = mkdtempSync(join(tmpdir(), 'campaign-graph-profile-'));
  const heapFile = join(dir, 'allocation.heapprofile');
  const gateway = await startCampaignGraph({
    migmaUrl: simulator.url,
    migmaKey: 'bench-key',
    nodeArgs: HEAP ? ['--import', fileURLToPath(new URL('./heapSampler.mjs', import.meta.url))] : ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--cpu-prof-interval=200'],
    env: HEAP ? { HEAP_PROFILE_OUT: heapFile } : undefined,
  });
  const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 });
  let errors = 0;
  const send = async (n: number) => {
    const id = data.campaigns[n % data.campaigns.length]!.id;
    const response = await request(gateway.url, {
      method: 'POST',
      dispatcher: agent,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: CAMPAIGN_GRAPH_QUERY, variables: { id } }),
    });
    const text = await response.body.text();
    if (checkCampaignGraphAnswer(JSON.parse(text), data, id) !== null) errors++;
  };
  try {
    for (let n = 0; n < 500; n++) await send(n); // warm-up
    if (HEAP) process.kill(gateway.pid, 'SIGUSR1');
    const cpuBefore = cpuSeconds(gateway.pid);
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < REQUESTS) await send(next++);
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = cpuSeconds(gateway.pid) - cpuBefore;
    const run = {
      date: new Date().toISOString(),
      node: process.version,
      scenario: "the Mesh side-by-side scenario: one Migma campaign's stats + first 50 recipient logs, no cache",
      requests: REQUESTS,
      errors,
      requestsPerCpuSecond: round(REQUESTS / cpu, 0),
    };
    if (HEAP) {
      process.kill(gateway.pid, 'SIGUSR2');
      // heapSampler.mjs renames the profile into place once it is whole.
      const deadline = Date.now() + 30_000;
      while (!existsSync(heapFile) && Date.now() < deadline) await sleep(100);
      await gateway.stop();
      const allocation = summariseAllocation((JSON.parse(readFileSync(heapFile, 'utf8')) as { head: HeapNode }).head, REQUESTS);
      const result = { ...run, allocation };
      writeFileSync(new URL('./allocation.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
      console.log(JSON.stringify({ ...result, allocation: { ...allocation, topFunctions: allocation.topFunctions.slice(0, 25) } }, null, 2));
      return;
    }
    await gateway.stop();
    const file = readdirSync(dir).find((name) => name.endsWith('.cpuprofile'));
    if (!file) throw new Error(`no profile written in ${dir}`);
    const summary = summarise(JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
    const result = {
      ...run,
      cpuMsPerRequest: round((cpu * 1000) / REQUESTS, 2),
      requestsPerSecond: round(REQUESTS / seconds, 0),
      profile: summary,
      profileFile: join(dir, file),
    };
    writeFileSync(new URL('./profile.json', import.meta.url), JSON.stringify(result, null, 2) + '\n');
    console.log(JSON.stringify({ ...result, profile: { ...summary, topFunctions: summary.topFunctions.slice(0, 25) } }, null, 2));
  } finally {
    await gateway.stop();
    await agent.close();
    await simulator.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
