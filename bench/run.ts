/**
 * campaign-graph benchmark suite: `npm run bench`.
 *
 * Simulators run in this process; the gateway (built first, `node dist/main.js`) runs as a child
 * process pointed at them, so the child's CPU time (from /proc) is the gateway's alone. Each scenario: a warm-up, then ROUNDS rounds
 * of REQUESTS requests at CONCURRENCY; we report the median of the rounds for requests per
 * gateway-CPU-second, latency p50/p95, and upstream calls per request, plus the child's RSS.
 * The machine is shared and noisy: compare the ratios within one run (`vsBaseline`), not
 * absolute numbers across runs. Results go to bench/results.json.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Agent, request } from 'undici';
import type { ProviderName } from '../src/domain/campaign.js';
import { PROVIDER_DEFINITIONS } from '../src/providers/registry.js';
import type { RunningSimulator } from '../src/providers/simulatorServer.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

interface Scenario {
  name: string;
  query: string;
  variables?: Record<string, unknown>;
}

const SCENARIOS: Scenario[] = [
  { name: 'baseline { __typename }', query: '{ __typename }' },
  {
    name: 'dashboard: campaigns(first: 30) with stats, 3 providers',
    query: '{ campaigns(first: 30) { totalCount edges { node { id provider name status sentAt stats { source sent delivered openRate clickRate bounceRate } } } } }',
  },
  {
    name: 'campaigns(first: 500) with stats',
    query: '{ campaigns(first: 500) { edges { cursor node { id name status stats { sent openRate } } } } }',
  },
  {
    name: 'EmailSendX campaignByProviderId x 5',
    query: `{ ${['clx_camp_april_nl_id', 'clx_camp_march_nl_id', 'clx_camp_1f00_0', 'clx_camp_1f01_1', 'clx_camp_1f02_2']
      .map((id, i) => `c${i}: campaignByProviderId(provider: EMAILSENDX, providerId: "${id}") { name stats { openRate } }`)
      .join(' ')} }`,
  },
  {
    name: 'Dripcel: every campaign with sendLogs(first: 10) + stats',
    query: '{ campaigns(first: 50, filter: { providers: [DRIPCEL] }) { edges { node { name stats { sent } sendLogs(first: 10) { totalCount edges { node { startDeliveryAt destinationCount } } } } } } }',
  },
  {
    name: 'Migma: recipientLogs(first: 250) of every campaign',
    query: '{ campaigns(first: 50, filter: { providers: [MIGMA] }) { edges { node { name recipientLogs(first: 250) { edges { node { toEmail status openCount } } } } } } }',
  },
  {
    name: 'Infobip: emailLogs(first: 500)',
    query: '{ emailLogs(first: 500) { pageInfo { hasNextPage endCursor } edges { node { messageId to sentAt status { groupName } price { pricePerMessage } } } } }',
  },
];

async function main(): Promise<void> {
  const simulators: Partial<Record<ProviderName, RunningSimulator>> = {};
  const env: Record<string, string> = { ...(process.env as Record<string, string>), NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent' };
  for (const definition of PROVIDER_DEFINITIONS) {
    const module = await definition.simulator();
    const simulator = await module.start({ apiKey: `bench_${definition.name.toLowerCase()}`, rateLimitPerMinute: 1e9 });
    simulators[definition.name] = simulator;
    Object.assign(env, { [definition.variables.apiKey]: simulator.apiKey, [definition.variables.baseUrl]: simulator.url }, module.demoEnv);
  }

  // Measure what production runs: the compiled gateway.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the gateway.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
  });
  const pid = child.pid!;
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });

  const results = [];
  try {
    // BENCH_ONLY=<text>: run the baseline and the scenarios whose name contains it.
    const only = process.env.BENCH_ONLY;
    for (const scenario of SCENARIOS.filter((s, i) => !only || i === 0 || s.name.includes(only))) {
      await load(url, agent, scenario, 50); // warm-up
      const rounds = [];
      for (let round = 0; round < ROUNDS; round++) {
        for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
        const cpuBefore = cpuSeconds(pid);
        const started = performance.now();
        const latencies = await load(url, agent, scenario, REQUESTS);
        const wall = (performance.now() - started) / 1000;
        const cpu = cpuSeconds(pid) - cpuBefore;
        const upstream = Object.values(simulators).reduce((sum, s) => sum + s!.calls.length, 0);
        latencies.sort((a, b) => a - b);
        rounds.push({
          requestsPerCpuSecond: REQUESTS / Math.max(cpu, 1e-3),
          requestsPerSecond: REQUESTS / wall,
          p50: latencies[Math.floor(latencies.length * 0.5)]!,
          p95: latencies[Math.floor(latencies.length * 0.95)]!,
          upstreamCallsPerRequest: upstream / REQUESTS,
        });
      }
      results.push({ scenario: scenario.name, ...medians(rounds), rssMiB: rssMiB(pid) });
      console.log(`done: ${scenario.name}`);
    }
  } finally {
    child.kill('SIGTERM');
    await agent.close();
    await Promise.all(Object.values(simulators).map((s) => s!.close()));
  }

  const baseline = results[0]!.requestsPerCpuSecond;
  const table = results.map((r) => ({ ...r, vsBaseline: round(r.requestsPerCpuSecond / baseline, 3) }));
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    rounds: ROUNDS,
    requestsPerRound: REQUESTS,
    concurrency: CONCURRENCY,
    note: 'medians of rounds; requestsPerCpuSecond counts the gateway process CPU only; compare vsBaseline within one run',
    results: table,
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.table(table);
}

async function load(url: string, agent: Agent, scenario: Scenario, count: number): Promise<number[]> {
  const latencies: number[] = [];
  let next = 0;
  const body = JSON.stringify({ query: scenario.query, variables: scenario.variables });
  const worker = async () => {
    while (next < count) {
      next++;
      const started = performance.now();
      const response = await request(url, {
        method: 'POST',
        dispatcher: agent,
        headers: { 'content-type': 'application/json' },
        body,
      });
      const text = await response.body.text();
      if (response.statusCode !== 200 || text.includes('"errors"')) throw new Error(`${scenario.name}: ${text.slice(0, 300)}`);
      latencies.push(performance.now() - started);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return latencies;
}

/** utime + stime of a process, in seconds (Linux /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMiB(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? round(Number(match[1]) / 1024, 1) : NaN;
}

function medians<T extends Record<string, number>>(rounds: T[]): T {
  const keys = Object.keys(rounds[0]!) as Array<keyof T>;
  return Object.fromEntries(
    keys.map((key) => {
      const values = rounds.map((r) => r[key] as number).sort((a, b) => a - b);
      return [key, round(values[Math.floor(values.length / 2)]!, 2)];
    }),
  ) as T;
}

function round(value: number, digits: number): number {
  return Math.round(value * 10 ** digits) / 10 ** digits;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
