/**
 * campaign-graph side by side with GraphQL Mesh (issue 11): `npx tsx bench/mesh/compare.ts`.
 *
 * One Migma simulator (this process, 200 sent campaigns of 60-90 log rows, no rate limit) behind
 * campaign-graph (built, `node dist/main.js`, production, `CACHE_TTL_S=0`, no outbound quota) and
 * behind Mesh (migma.openapi.json composed by Mesh Compose, served by Hive Gateway), plus four
 * ceilings: the scenario through a bare graphql-yoga pass-through (its schema, resolvers calling
 * undici, nothing else) and hand-written with no GraphQL (node:http + the two undici calls), bare
 * graphql-yoga `{ hello }`, and plain node:http with a fixed ~14.5 KB JSON body.
 * Every server is a child process; its CPU is utime + stime of its pid from /proc.
 *
 * The scenario: one campaign's Migma stats plus its first 50 recipient logs, a different campaign
 * per request, no cache. Every answer is checked against the simulator's data; a wrong answer is
 * an error. After a warm-up round per target (not recorded), rounds are interleaved (each round
 * runs every target once, in a rotating order), ratios are taken within each round, and the report
 * gives medians. Results go to bench/mesh/results.json.
 *
 * Knobs: MESH_BENCH_ROUNDS (5), MESH_BENCH_REQUESTS (400 per batch), MESH_BENCH_CONCURRENCY (16),
 * MESH_BENCH_MIN_CPU_S (0.5: a round repeats batches until the server used that much CPU, so the
 * fast ceilings are not measured on a few 10 ms ticks), MESH_BENCH_WARMUP_REQUESTS (2000) and
 * MESH_BENCH_WARMUP_CPU_S (2: the warm-up of each target goes on until both are reached),
 * MESH_BENCH_CAMPAIGNS (200).
 */
import { cpuSeconds, round, rssMiB } from '../processStats.js';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Agent, request } from 'undici';
import { startMigmaSimulator } from '../../src/providers/migma/simulator.js';
import type { RunningSimulator } from '../../src/providers/simulatorServer.js';
import {
  CAMPAIGN_GRAPH_QUERY,
  MESH_QUERY,
  PLAIN_BODY_BYTES,
  buildCampaignGraph,
  childPids,
  checkCampaignGraphAnswer,
  checkMeshAnswer,
  composeSupergraph,
  ensureMeshInstalled,
  meshInstallMiB,
  meshVersions,
  migmaBenchData,
  startCampaignGraph,
  startHandWritten,
  startHiveGateway,
  startPlainHttp,
  startYogaHello,
  startYogaPassThrough,
  type Peer,
} from './peers.js';

const ROUNDS = Number(process.env.MESH_BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.MESH_BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.MESH_BENCH_CONCURRENCY ?? 16);
const MIN_CPU_S = Number(process.env.MESH_BENCH_MIN_CPU_S ?? 0.5);
const CAMPAIGNS = Number(process.env.MESH_BENCH_CAMPAIGNS ?? 200);
const WARM_UP_REQUESTS = Number(process.env.MESH_BENCH_WARMUP_REQUESTS ?? 2000);
const WARM_UP_CPU_S = Number(process.env.MESH_BENCH_WARMUP_CPU_S ?? 2);
const MAX_BATCHES = 200;

/** One target: a peer, the request body for the n-th request, and the checker of its answer. */
interface Target {
  key: 'campaignGraph' | 'mesh' | 'yogaPassThrough' | 'handWritten' | 'yogaHello' | 'plainHttp';
  peer: Peer;
  /** Whether it calls the simulator (then upstream calls per request are counted). */
  upstream: boolean;
  body(n: number): { body: string; check: (text: string) => string | null };
}

interface Round {
  requests: number;
  cpuSeconds: number;
  requestsPerCpuSecond: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  /** Median of samples every 250 ms through the round; the peak beside it. */
  rssMiB: number;
  rssMiBPeak: number;
  upstreamCallsPerRequest: number;
  errors: number;
  responseBytes: number;
}

const RSS_RUN_S = Number(process.env.MESH_BENCH_RSS_SECONDS ?? 60);

/** The side-by-side run; writes bench/mesh/results.json and returns what it wrote. */
export async function compareWithMesh(): Promise<MeshReport> {
  const runStarted = performance.now();
  const install = ensureMeshInstalled();
  const installMiB = meshInstallMiB();
  let started = performance.now();
  composeSupergraph();
  const composeSeconds = (performance.now() - started) / 1000;
  started = performance.now();
  buildCampaignGraph();
  const buildSeconds = (performance.now() - started) / 1000;

  const data = migmaBenchData(CAMPAIGNS);
  const ids = data.campaigns.map((c) => c.id);
  const simulator: RunningSimulator = await startMigmaSimulator({ apiKey: 'bench_mesh_migma', rateLimitPerMinute: 1e9, data });
  const migma = { migmaUrl: simulator.url, migmaKey: simulator.apiKey };

  const peers: Peer[] = [];
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  try {
    const [campaignGraph, mesh, yogaPassThrough, handWritten, yogaHello, plainHttp] = await Promise.all([
      startCampaignGraph(migma).then((p) => (peers.push(p), p)),
      startHiveGateway(migma).then((p) => (peers.push(p), p)),
      startYogaPassThrough(migma).then((p) => (peers.push(p), p)),
      startHandWritten(migma).then((p) => (peers.push(p), p)),
      startYogaHello().then((p) => (peers.push(p), p)),
      startPlainHttp().then((p) => (peers.push(p), p)),
    ]);
    const scenario = (query: string, checker: typeof checkMeshAnswer) => (n: number) => {
      const id = ids[n % ids.length]!;
      return {
        body: JSON.stringify({ query, variables: { id } }),
        check: (text: string) => checker(JSON.parse(text), data, id),
      };
    };
    const hello = JSON.stringify({ query: '{ hello }' });
    const targets: Target[] = [
      { key: 'campaignGraph', peer: campaignGraph, upstream: true, body: scenario(CAMPAIGN_GRAPH_QUERY, checkCampaignGraphAnswer) },
      { key: 'mesh', peer: mesh, upstream: true, body: scenario(MESH_QUERY, checkMeshAnswer) },
      // Ceilings of the same scenario: what GraphQL over undici costs with nothing else, and without GraphQL.
      { key: 'yogaPassThrough', peer: yogaPassThrough, upstream: true, body: scenario(CAMPAIGN_GRAPH_QUERY, checkCampaignGraphAnswer) },
      { key: 'handWritten', peer: handWritten, upstream: true, body: scenario(CAMPAIGN_GRAPH_QUERY, checkCampaignGraphAnswer) },
      {
        key: 'yogaHello',
        peer: yogaHello,
        upstream: false,
        body: () => ({ body: hello, check: (text) => (text === '{"data":{"hello":"world"}}' ? null : `answer ${text.slice(0, 80)}`) }),
      },
      {
        key: 'plainHttp',
        peer: plainHttp,
        upstream: false,
        body: () => ({ body: '{}', check: (text) => (Buffer.byteLength(text) === PLAIN_BODY_BYTES ? null : `${Buffer.byteLength(text)} bytes`) }),
      },
    ];

    // One request each, alone: what the scenario costs upstream without any concurrent request.
    const alone: Record<string, { upstreamCalls: number; paths: string[] }> = {};
    for (const target of targets.filter((t) => t.upstream)) {
      simulator.calls.length = 0;
      const { errors, samples } = await load(target, agent, 1, 1, 1);
      if (errors) throw new Error(`${target.peer.name} answers the scenario wrong: ${samples.join('; ')}`);
      alone[target.key] = { upstreamCalls: simulator.calls.length, paths: simulator.calls.map((c) => `${c.method} ${c.path}${c.query.size ? `?${c.query}` : ''}`) };
    }
    const errorSamples: Record<string, string[]> = {};
    const next: Record<string, number> = {};
    /**
     * One round of one target: batches of REQUESTS at CONCURRENCY until the server used `minCpu`
     * seconds of CPU and answered `minRequests`, each request a different campaign (the numbering
     * goes on across rounds).
     */
    const measure = async (target: Target, minCpu = MIN_CPU_S, minRequests = REQUESTS): Promise<Round> => {
      simulator.calls.length = 0;
      const cpuBefore = cpuSeconds(target.peer.pid);
      const wallStarted = performance.now();
      let requests = 0;
      let errors = 0;
      let bytes = 0;
      const latencies: number[] = [];
      // RSS swings by a third between garbage collections under load: sampled through the round, the median reported.
      const rss: number[] = [];
      const sampler = setInterval(() => rss.push(rssMiB(target.peer.pid)), 250);
      for (let batch = 0; batch < MAX_BATCHES; batch++) {
        const result = await load(target, agent, REQUESTS, CONCURRENCY, next[target.key] ?? 0);
        next[target.key] = (next[target.key] ?? 0) + REQUESTS;
        requests += REQUESTS;
        errors += result.errors;
        bytes += result.bytes;
        latencies.push(...result.latencies);
        if (result.samples.length) (errorSamples[target.key] ??= []).push(...result.samples.slice(0, 3));
        if (requests >= minRequests && cpuSeconds(target.peer.pid) - cpuBefore >= minCpu) break;
      }
      clearInterval(sampler);
      if (rss.length === 0) rss.push(rssMiB(target.peer.pid));
      const wall = (performance.now() - wallStarted) / 1000;
      const cpu = cpuSeconds(target.peer.pid) - cpuBefore;
      latencies.sort((a, b) => a - b);
      return {
        requests,
        cpuSeconds: cpu,
        requestsPerCpuSecond: requests / Math.max(cpu, 0.01),
        requestsPerSecond: requests / wall,
        p50: latencies[Math.floor(latencies.length * 0.5)]!,
        p99: latencies[Math.floor(latencies.length * 0.99)]!,
        rssMiB: median(rss),
        rssMiBPeak: Math.max(...rss),
        upstreamCallsPerRequest: target.upstream ? simulator.calls.length / requests : 0,
        errors,
        responseBytes: bytes / requests,
      };
    };

    // Warm-up, not recorded: V8 needs a few thousand requests before a server's hot paths are
    // optimised (yoga { hello } alone goes from about 1000 to 3000 requests per CPU-second over its
    // first 5000 requests here).
    for (const target of targets) {
      const warm = await measure(target, WARM_UP_CPU_S, WARM_UP_REQUESTS);
      if (warm.errors) throw new Error(`${target.peer.name}: ${warm.errors} errors in the warm-up: ${(errorSamples[target.key] ?? []).join('; ')}`);
      console.log(`warmed up: ${target.peer.name} (${target.peer.url}, pid ${target.peer.pid}), ${warm.requests} requests`);
    }

    const rounds: Record<Target['key'], Round[]> = { campaignGraph: [], mesh: [], yogaPassThrough: [], handWritten: [], yogaHello: [], plainHttp: [] };
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, in a rotating order: each round sees the machine's load of its moment for every target.
      const order = targets.map((_, i) => targets[(i + round) % targets.length]!);
      for (const target of order) rounds[target.key].push(await measure(target));
      console.log(`round ${round + 1}/${ROUNDS}: ${targets.map((t) => `${t.key} ${Math.round(rounds[t.key][round]!.requestsPerCpuSecond)}/CPU-s`).join(', ')}`);
    }

    // RSS over a longer run of the scenario under the same load, sampled every second. A single
    // sample lands anywhere in the swing between garbage collections (a third of the figure), so
    // "flat" compares medians of windows: the last third of the run against 10 to 30 s (of 60).
    const rssRun = async (target: Target) => {
      const samples: Array<{ atS: number; rssMiB: number }> = [];
      const began = performance.now();
      let stop = false;
      const sampler = setInterval(() => samples.push({ atS: round((performance.now() - began) / 1000, 1), rssMiB: rssMiB(target.peer.pid) }), 1000);
      const timer = setTimeout(() => (stop = true), RSS_RUN_S * 1000);
      let errors = 0;
      while (!stop) errors += (await load(target, agent, CONCURRENCY * 10, CONCURRENCY, next[target.key] ?? 0)).errors, (next[target.key] = (next[target.key] ?? 0) + CONCURRENCY * 10);
      clearInterval(sampler);
      clearTimeout(timer);
      const within = (from: number, to: number) => median(samples.filter((x) => x.atS > from && x.atS <= to).map((x) => x.rssMiB));
      const early = within(RSS_RUN_S / 6, RSS_RUN_S / 2);
      const late = within((RSS_RUN_S * 2) / 3, Infinity);
      return {
        seconds: RSS_RUN_S,
        errors,
        samples,
        earlyWindowS: [round(RSS_RUN_S / 6, 1), round(RSS_RUN_S / 2, 1)],
        lateWindowS: [round((RSS_RUN_S * 2) / 3, 1), RSS_RUN_S],
        rssMiBEarly: round(early, 1),
        rssMiBLate: round(late, 1),
        growth: round(late / early, 3),
      };
    };
    const rssOverTime = { campaignGraph: await rssRun(targets[0]!), mesh: await rssRun(targets[1]!) };
    console.log(`RSS over ${RSS_RUN_S} s (medians of windows): campaign-graph ${rssOverTime.campaignGraph.rssMiBEarly} -> ${rssOverTime.campaignGraph.rssMiBLate} MiB, mesh ${rssOverTime.mesh.rssMiBEarly} -> ${rssOverTime.mesh.rssMiBLate} MiB`);

    // Ratios within each round, then their medians.
    const perRound = (f: (r: number) => number) => median(Array.from({ length: ROUNDS }, (_, r) => f(r)));
    const rpcs = (key: Target['key'], r: number) => rounds[key][r]!.requestsPerCpuSecond;
    const ratios = {
      'campaignGraph / mesh (requests per CPU-second)': perRound((r) => rpcs('campaignGraph', r) / rpcs('mesh', r)),
      'campaignGraph / mesh (RSS)': perRound((r) => rounds.campaignGraph[r]!.rssMiB / rounds.mesh[r]!.rssMiB),
      'campaignGraph / mesh (requests per second)': perRound((r) => rounds.campaignGraph[r]!.requestsPerSecond / rounds.mesh[r]!.requestsPerSecond),
      'yogaPassThrough / mesh': perRound((r) => rpcs('yogaPassThrough', r) / rpcs('mesh', r)),
      'handWritten / mesh': perRound((r) => rpcs('handWritten', r) / rpcs('mesh', r)),
      'campaignGraph / yogaPassThrough': perRound((r) => rpcs('campaignGraph', r) / rpcs('yogaPassThrough', r)),
      'campaignGraph / yogaHello': perRound((r) => rpcs('campaignGraph', r) / rpcs('yogaHello', r)),
      'mesh / yogaHello': perRound((r) => rpcs('mesh', r) / rpcs('yogaHello', r)),
      'campaignGraph / plainHttp': perRound((r) => rpcs('campaignGraph', r) / rpcs('plainHttp', r)),
      'mesh / plainHttp': perRound((r) => rpcs('mesh', r) / rpcs('plainHttp', r)),
      'yogaHello / plainHttp': perRound((r) => rpcs('yogaHello', r) / rpcs('plainHttp', r)),
    };
    const summary = Object.fromEntries(
      targets.map((t) => {
        const rs = rounds[t.key];
        const m = (k: keyof Round) => median(rs.map((x) => x[k]));
        return [
          t.key,
          {
            name: t.peer.name,
            requestsPerRound: m('requests'),
            requestsPerCpuSecond: round(m('requestsPerCpuSecond'), 0),
            requestsPerSecond: round(m('requestsPerSecond'), 0),
            p50: round(m('p50'), 2),
            p99: round(m('p99'), 2),
            rssMiB: round(m('rssMiB'), 1),
            rssMiBPeak: Math.max(...rs.map((x) => x.rssMiBPeak)),
            upstreamCallsPerRequest: round(m('upstreamCallsPerRequest'), 3),
            upstreamCallsAlone: alone[t.key]?.upstreamCalls ?? 0,
            errors: rs.reduce((sum, x) => sum + x.errors, 0),
            responseBytes: round(m('responseBytes'), 0),
            childProcesses: childPids(t.peer.pid).length,
            alive: t.peer.alive(),
            stderr: t.peer.stderr().trim().slice(-2000) || undefined,
          },
        ];
      }),
    );

    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: cpus().length,
      rounds: ROUNDS,
      requestsPerBatch: REQUESTS,
      concurrency: CONCURRENCY,
      minServerCpuSecondsPerRound: MIN_CPU_S,
      warmUp: { minRequests: WARM_UP_REQUESTS, minServerCpuSeconds: WARM_UP_CPU_S },
      campaigns: CAMPAIGNS,
      logRowsPerCampaign: '60-90',
      scenario: "one campaign's Migma stats plus its first 50 recipient logs, a different campaign per request, no cache; every answer checked against the simulator's data",
      note: 'requestsPerCpuSecond counts the server process only (utime + stime from /proc); rounds interleave the targets; ratios are per round, then medians; the machine is shared and noisy, compare ratios within one run',
      setup: {
        meshInstallSeconds: install.seconds === null ? 'already installed' : round(install.seconds, 1),
        meshNodeModulesMiB: installMiB,
        composeSeconds: round(composeSeconds, 1),
        campaignGraphBuildSeconds: round(buildSeconds, 1),
        runSeconds: round((performance.now() - runStarted) / 1000, 1),
        meshVersions: meshVersions(),
      },
      queries: { campaignGraph: CAMPAIGN_GRAPH_QUERY, mesh: MESH_QUERY },
      upstreamCallsAlone: alone,
      ratios: Object.fromEntries(Object.entries(ratios).map(([k, v]) => [k, round(v, 3)])),
      targets: summary,
      rssOverTime,
      errorSamples,
      roundsByTarget: rounds,
    };
    writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
    console.table(
      Object.fromEntries(
        Object.entries(summary).map(([key, s]) => [
          key,
          {
            'req/CPU-s': s.requestsPerCpuSecond,
            'req/s': s.requestsPerSecond,
            'p50 ms': s.p50,
            'p99 ms': s.p99,
            'RSS MiB': s.rssMiB,
            'calls/req': s.upstreamCallsPerRequest,
            errors: s.errors,
            'bytes/answer': s.responseBytes,
          },
        ]),
      ),
    );
    console.table(report.ratios);
    console.log(`bench/mesh/results.json written; ${ROUNDS} rounds, median of per-round ratios`);
    return report;
  } finally {
    await Promise.all(peers.map((p) => p.stop()));
    await agent.close();
    await simulator.close();
  }
}

/**
 * `count` requests at `concurrency` to one target, request numbers from `first` on (each a
 * different campaign for the scenario targets): latencies, errors (non-200, GraphQL errors, wrong
 * answers, failed requests), bytes.
 */
export async function load(target: Pick<Target, 'peer' | 'body'>, agent: Agent, count: number, concurrency: number, first: number) {
  const latencies: number[] = [];
  const samples: string[] = [];
  let errors = 0;
  let bytes = 0;
  let issued = 0;
  const worker = async () => {
    while (issued < count) {
      const n = first + issued++;
      const { body, check } = target.body(n);
      const started = performance.now();
      try {
        const response = await request(target.peer.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body });
        const text = await response.body.text();
        latencies.push(performance.now() - started);
        bytes += Buffer.byteLength(text);
        const wrong = response.statusCode !== 200 ? `HTTP ${response.statusCode}: ${text.slice(0, 200)}` : check(text);
        if (wrong) {
          errors++;
          if (samples.length < 3) samples.push(wrong);
        }
      } catch (error) {
        latencies.push(performance.now() - started);
        errors++;
        if (samples.length < 3) samples.push(String(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { latencies, errors, samples, bytes };
}


export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}


export type MeshReport = {
  ratios: Record<string, number>;
  targets: Record<string, { requestsPerCpuSecond: number; rssMiB: number; upstreamCallsPerRequest: number; errors: number; p50: number; p99: number }>;
  rssOverTime: Record<'campaignGraph' | 'mesh', { rssMiBEarly: number; rssMiBLate: number; growth: number; errors: number }>;
  [key: string]: unknown;
};

if (import.meta.url === `file://${process.argv[1]}`) {
  compareWithMesh().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
