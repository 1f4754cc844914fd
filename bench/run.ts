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
import { cpuSeconds, round, rssMiB } from './processStats.js';
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { Agent, request } from 'undici';
import type { ProviderName } from '../src/domain/campaign.js';
import { PROVIDER_DEFINITIONS } from '../src/providers/registry.js';
import type { RunningSimulator } from '../src/providers/simulatorServer.js';
import { compareWithMesh, type MeshReport } from './mesh/compare.js';

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

interface Gateway {
  url: string;
  pid: number;
  /** What the gateway wrote to stderr (unhandled rejections, crashes). */
  stderr(): string;
  /** Whether the process is still running. */
  alive(): boolean;
  stop(): Promise<void>;
}

/** Starts the built gateway (`node dist/main.js`, production mode) as a child process with `env`. */
async function startGateway(env: Record<string, string>): Promise<Gateway> {
  // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the gateway.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, 'dist/main.js'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let errors = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
    process.stderr.write(chunk);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/\S+\/graphql)/.exec(out);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`gateway exited with ${code}: ${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    stderr: () => errors,
    alive: () => child.exitCode === null && child.signalCode === null,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

type Simulators = Partial<Record<ProviderName, RunningSimulator>>;

/** One simulator per provider (`rateLimitPerMinute` undefined: each enforces its documented quota) and the env pointing at them. */
async function startSimulators(rateLimitPerMinute: number | undefined, env: Record<string, string>): Promise<Simulators> {
  const simulators: Simulators = {};
  for (const definition of PROVIDER_DEFINITIONS) {
    const module = await definition.simulator();
    const simulator = await module.start({ apiKey: `bench_${definition.name.toLowerCase()}`, rateLimitPerMinute });
    simulators[definition.name] = simulator;
    Object.assign(env, { [definition.variables.apiKey]: simulator.apiKey, [definition.variables.baseUrl]: simulator.url }, module.demoEnv);
  }
  return simulators;
}

const upstreamCalls = (simulators: Simulators) => Object.values(simulators).reduce((sum, s) => sum + s!.calls.length, 0);

/** The throughput scenarios against one gateway: warm-up, then ROUNDS rounds each; medians. */
async function throughput(gateway: Gateway, simulators: Simulators, scenarios: Scenario[], agent: Agent) {
  const results = [];
  for (const scenario of scenarios) {
    await load(gateway.url, agent, scenario, 50); // warm-up
    const rounds = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
      const cpuBefore = cpuSeconds(gateway.pid);
      const started = performance.now();
      const latencies = await load(gateway.url, agent, scenario, REQUESTS);
      const wall = (performance.now() - started) / 1000;
      const cpu = cpuSeconds(gateway.pid) - cpuBefore;
      latencies.sort((a, b) => a - b);
      rounds.push({
        requestsPerCpuSecond: REQUESTS / Math.max(cpu, 1e-3),
        requestsPerSecond: REQUESTS / wall,
        p50: latencies[Math.floor(latencies.length * 0.5)]!,
        p95: latencies[Math.floor(latencies.length * 0.95)]!,
        upstreamCallsPerRequest: upstreamCalls(simulators) / REQUESTS,
      });
    }
    results.push({ scenario: scenario.name, ...medians(rounds), rssMiB: rssMiB(gateway.pid) });
    console.log(`done: ${scenario.name}`);
  }
  const baseline = results[0]!.requestsPerCpuSecond;
  return results.map((r) => ({ ...r, vsBaseline: round(r.requestsPerCpuSecond / baseline, 3) }));
}

const USERS = Number(process.env.BENCH_USERS ?? 10);
const USERS_SECONDS = Number(process.env.BENCH_USERS_SECONDS ?? 60);
const RELOAD_MS = Number(process.env.BENCH_RELOAD_MS ?? 3000);

/**
 * Ten users keep the dashboard open, each reloading it every RELOAD_MS (with jitter), for
 * USERS_SECONDS, against simulators that enforce the documented quotas and a gateway with its
 * defaults (cache, in-flight sharing, quotas): upstream calls per minute per provider against its
 * quota, upstream 429s, errors users saw, latency.
 */
async function dashboardUsers(gateway: Gateway, simulators: Simulators, agent: Agent, uncachedCallsPerLoad: number) {
  const dashboard = SCENARIOS[1]!;
  const body = JSON.stringify({ query: dashboard.query });
  const deadline = performance.now() + USERS_SECONDS * 1000;
  const latencies: number[] = [];
  let loads = 0;
  let errors = 0;
  const cpuBefore = cpuSeconds(gateway.pid);
  const user = async (index: number) => {
    await new Promise((resolve) => setTimeout(resolve, (index * RELOAD_MS) / USERS));
    while (performance.now() < deadline) {
      const started = performance.now();
      const response = await request(gateway.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body });
      const text = await response.body.text();
      latencies.push(performance.now() - started);
      loads++;
      if (response.statusCode !== 200 || text.includes('"errors"')) errors++;
      await new Promise((resolve) => setTimeout(resolve, RELOAD_MS * (0.75 + Math.random() * 0.5)));
    }
  };
  await Promise.all(Array.from({ length: USERS }, (_, i) => user(i)));
  const cpu = cpuSeconds(gateway.pid) - cpuBefore;
  latencies.sort((a, b) => a - b);
  const minutes = USERS_SECONDS / 60;
  const providers = Object.fromEntries(
    PROVIDER_DEFINITIONS.map((definition) => {
      const calls = simulators[definition.name]!.calls;
      return [
        definition.name,
        {
          callsPerMinute: round(calls.length / minutes, 1),
          quotaPerMinute: definition.quota.perMinute,
          upstream429s: calls.filter((c) => c.status === 429).length,
        },
      ];
    }),
  );
  const calls = upstreamCalls(simulators);
  return {
    users: USERS,
    seconds: USERS_SECONDS,
    reloadMs: RELOAD_MS,
    loads,
    errorsUsersSaw: errors,
    upstream429s: Object.values(providers).reduce((sum, p) => sum + p.upstream429s, 0),
    p50: round(latencies[Math.floor(latencies.length * 0.5)] ?? NaN, 1),
    p99: round(latencies[Math.floor(latencies.length * 0.99)] ?? NaN, 1),
    upstreamCalls: calls,
    // Derived: the share of the calls the same loads would cost without the cache and sharing.
    cacheHitRate: round(1 - calls / Math.max(1, loads * uncachedCallsPerLoad), 3),
    gatewayCpuSeconds: round(cpu, 2),
    providers,
  };
}

const SOAK_REQUESTS = Number(process.env.BENCH_SOAK_REQUESTS ?? 3000);

/**
 * A bounded soak: SOAK_REQUESTS requests at CONCURRENCY against simulators injecting faults at
 * random (5xx, 429 with and without Retry-After, answers slower than the timeout, dropped
 * connections, malformed and empty bodies, HTML pages), with hostile requests among ordinary ones
 * (too deep, too many aliases, too costly, bodies over the limit, garbage JSON, forged cursors and
 * ids). Reports crashes, unhandled rejections, 5xx answers, and RSS after warm-up and at the end.
 */
async function soak(simulators: Simulators, env: Record<string, string>) {
  const faults: Array<Parameters<RunningSimulator['inject']>[0]> = [
    { status: 503, body: { error: 'unavailable' } },
    { status: 500, rawBody: '<html><body>Internal Server Error</body></html>', headers: { 'content-type': 'text/html' } },
    { status: 429, body: { error: 'slow down' }, headers: { 'Retry-After': '1' } },
    { status: 429, body: { error: 'slow down' } },
    { delayMs: 800 },
    { hangUp: true },
    { status: 200, rawBody: '{"data": [' },
    { status: 200, rawBody: '' },
  ];
  for (const simulator of Object.values(simulators)) {
    for (const fault of faults) simulator!.inject({ ...fault, match: () => Math.random() < 0.03, times: Number.MAX_SAFE_INTEGER });
  }
  const gateway = await startGateway({ ...env, CACHE_TTL_S: '0', UPSTREAM_TIMEOUT_MS: '400', UPSTREAM_RETRIES: '1', UPSTREAM_CIRCUIT_THRESHOLD: '0' });
  const deep = `{ campaigns { edges { node { ${'sendLogs { edges { node { campaign { '.repeat(15)}id${' } } } }'.repeat(15)} } } } }`;
  const requests: Array<{ body: string; hostile: boolean }> = [
    { body: JSON.stringify({ query: SCENARIOS[1]!.query }), hostile: false },
    { body: JSON.stringify({ query: SCENARIOS[3]!.query }), hostile: false },
    { body: JSON.stringify({ query: SCENARIOS[4]!.query }), hostile: false },
    { body: JSON.stringify({ query: '{ emailLogs(first: 50) { edges { node { messageId campaign { providerId } } } } }' }), hostile: false },
    { body: JSON.stringify({ query: deep }), hostile: true },
    { body: JSON.stringify({ query: `{ ${Array.from({ length: 500 }, (_, i) => `a${i}: campaigns(first: 1) { totalCount }`).join(' ')} }` }), hostile: true },
    { body: JSON.stringify({ query: '{ campaigns(first: 500) { edges { node { recipientLogs(first: 500) { edges { node { toEmail } } } } } } }' }), hostile: true },
    { body: JSON.stringify({ query: '{ __typename }', variables: { pad: 'x'.repeat(1_100_000) } }), hostile: true },
    { body: '{"query": "{ campaigns { totalCount } ', hostile: true },
    { body: JSON.stringify({ query: '{ campaigns(after: "bm90LWEtY3Vyc29y.abc") { totalCount } }' }), hostile: true },
    { body: JSON.stringify({ query: '{ node(id: "Q2FtcGFpZ246TUlHTUE6") { id } }' }), hostile: true },
  ];
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  const statuses = new Map<number, number>();
  let next = 0;
  let warmRss = NaN;
  const worker = async () => {
    while (next < SOAK_REQUESTS) {
      const index = next++;
      if (index === Math.floor(SOAK_REQUESTS / 10)) warmRss = rssMiB(gateway.pid);
      const pick = requests[index % requests.length]!;
      try {
        const response = await request(gateway.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: pick.body, headersTimeout: 15_000, bodyTimeout: 15_000 });
        await response.body.text();
        statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
      } catch {
        statuses.set(0, (statuses.get(0) ?? 0) + 1);
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (performance.now() - started) / 1000;
  const endRss = rssMiB(gateway.pid);
  const alive = gateway.alive();
  const stderr = gateway.stderr();
  await gateway.stop();
  await agent.close();
  const serverErrors = [...statuses].filter(([status]) => status >= 500 || status === 0).reduce((sum, [, n]) => sum + n, 0);
  return {
    requests: SOAK_REQUESTS,
    seconds: round(seconds, 1),
    statuses: Object.fromEntries(statuses),
    serverErrorsOrDropped: serverErrors,
    crashed: !alive,
    unhandledRejections: (stderr.match(/unhandled|Unhandled/g) ?? []).length,
    rssMiBAfterWarmUp: warmRss,
    rssMiBAtEnd: endRss,
  };
}

async function main(): Promise<void> {
  // Measure what production runs: the compiled gateway.
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { stdio: 'inherit' });
  const base = { ...(process.env as Record<string, string>), NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'silent' };
  const agent = new Agent({ connections: CONCURRENCY, keepAliveTimeout: 10_000 });
  // BENCH_ONLY=<text>: run the baseline and the scenarios whose name contains it.
  const only = process.env.BENCH_ONLY;
  const selected = SCENARIOS.filter((s, i) => !only || i === 0 || s.name.includes(only));

  // 1. Execution cost: no cross-request cache, no quotas, simulators without limits.
  const uncachedEnv: Record<string, string> = { ...base, CACHE_TTL_S: '0' };
  const open = await startSimulators(1e9, uncachedEnv);
  for (const definition of PROVIDER_DEFINITIONS) uncachedEnv[definition.variables.rateLimit] = '0';
  let uncached = await startGateway(uncachedEnv);
  const results = await throughput(uncached, open, selected, agent).finally(() => uncached.stop());

  // 2. The cached dashboard against the baseline of the same gateway (defaults: cache on).
  const cachedEnv: Record<string, string> = { ...base };
  Object.assign(cachedEnv, Object.fromEntries(Object.entries(uncachedEnv).filter(([k]) => /_(API_KEY|BASE_URL|PROJECT_ID)$/.test(k))));
  for (const definition of PROVIDER_DEFINITIONS) cachedEnv[definition.variables.rateLimit] = '0';
  uncached = await startGateway(cachedEnv);
  const cached = await throughput(uncached, open, [SCENARIOS[0]!, { ...SCENARIOS[1]!, name: 'cached dashboard (CACHE_TTL_S=60)' }], agent).finally(() => uncached.stop());
  const aloneCost = await costAlone(open, SCENARIOS[1]!, uncachedEnv);
  await Promise.all(Object.values(open).map((s) => s!.close()));

  // 3. Ten users against the documented quotas, gateway defaults.
  let users: Awaited<ReturnType<typeof dashboardUsers>> | null = null;
  if (!only || 'dashboard users'.includes(only)) {
    const quotaEnv: Record<string, string> = { ...base };
    const strict = await startSimulators(undefined, quotaEnv);
    const gateway = await startGateway(quotaEnv);
    const dashboardCost = aloneCost;
    users = await dashboardUsers(gateway, strict, agent, dashboardCost).finally(() => gateway.stop());
    await Promise.all(Object.values(strict).map((s) => s!.close()));
    console.log('done: dashboard users');
  }
  // 4. The soak, with faults on and hostile requests among ordinary ones.
  let soaked: Awaited<ReturnType<typeof soak>> | null = null;
  if (!only || 'soak'.includes(only)) {
    const soakEnv: Record<string, string> = { ...base };
    const faulty = await startSimulators(1e9, soakEnv);
    for (const definition of PROVIDER_DEFINITIONS) soakEnv[definition.variables.rateLimit] = '0';
    soaked = await soak(faulty, soakEnv);
    await Promise.all(Object.values(faulty).map((s) => s!.close()));
    console.log('done: soak');
  }
  // 5. Across all four providers, each answering after 50 ms: one round trip's worth, not four.
  let latency: Awaited<ReturnType<typeof fourProvidersAt50ms>> | null = null;
  if (!only || 'four providers at 50 ms'.includes(only)) {
    const latencyEnv: Record<string, string> = { ...base, CACHE_TTL_S: '0' };
    const slow = await startSimulators(1e9, latencyEnv);
    for (const definition of PROVIDER_DEFINITIONS) latencyEnv[definition.variables.rateLimit] = '0';
    latency = await fourProvidersAt50ms(slow, latencyEnv, agent);
    await Promise.all(Object.values(slow).map((s) => s!.close()));
    console.log('done: four providers at 50 ms');
  }
  await agent.close();

  // 6. GraphQL Mesh side by side (bench/mesh: its own packages, installed on first use).
  let mesh: MeshReport | null = null;
  if (process.env.BENCH_MESH !== '0' && (!only || 'mesh side by side'.includes(only))) mesh = await compareWithMesh();

  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    rounds: ROUNDS,
    requestsPerRound: REQUESTS,
    concurrency: CONCURRENCY,
    note: 'medians of rounds; requestsPerCpuSecond counts the gateway process CPU only; compare vsBaseline within one run',
    uncached: results,
    uncachedNote: 'no cross-request cache, but identical calls of concurrent requests are shared in flight (always on): upstreamCallsPerRequest is per request under that sharing',
    cached,
    dashboardCallsAlone: aloneCost,
    dashboardUsers: users,
    soak: soaked,
    fourProvidersAt50ms: latency,
    mesh: mesh ? { ratios: mesh.ratios, targets: mesh.targets, rssOverTime: mesh.rssOverTime, details: 'bench/mesh/results.json' } : null,
    targets: {
      'Mesh scenario: >= 4 x Mesh requests per CPU-second, no cache': mesh ? target(mesh.ratios['campaignGraph / mesh (requests per CPU-second)']!, 4) : null,
      'Mesh scenario: upstream calls per request at the lower bound (2)': mesh ? target(-mesh.targets.campaignGraph!.upstreamCallsPerRequest, -2) : null,
      'Mesh scenario: answers all correct on both sides': mesh ? target(-(mesh.targets.campaignGraph!.errors + mesh.targets.mesh!.errors), 0) : null,
      'Mesh scenario: RSS under half of Mesh\'s under the same load': mesh ? target(round(0.5 - mesh.ratios['campaignGraph / mesh (RSS)']!, 3), 0.0001) : null,
      'Mesh scenario: RSS flat over a 60-second run (median of the last 20 s within 1.1 x the median of 10 to 30 s)': mesh ? target(round(1.1 - mesh.rssOverTime.campaignGraph.growth, 3), 0) : null,
      'four providers at 50 ms: median latency within 1.2 x the slowest provider\'s': latency ? target(round(1.2 - latency.ratioToSlowest, 3), 0) : null,
      // Against the baseline of the gateway without caches (phase 1): with the response cache on,
      // `{ __typename }` itself is answered from it, which would flatter the ratio.
      'cached dashboard >= 0.5 x { __typename } per CPU-second': target(round(cached[1]!.requestsPerCpuSecond / results[0]!.requestsPerCpuSecond, 3), 0.5),
      'dashboard users: upstream 429s = 0': users ? target(-users.upstream429s, 0) : null,
      'dashboard users: errors users saw = 0': users ? target(-users.errorsUsersSaw, 0) : null,
      'soak: no crash, no unhandled rejection, no 5xx': soaked ? target(-(Number(soaked.crashed) + soaked.unhandledRejections + soaked.serverErrorsOrDropped), 0) : null,
      'soak: RSS at the end within 1.5 x RSS after warm-up': soaked ? target(round(1.5 - soaked.rssMiBAtEnd / soaked.rssMiBAfterWarmUp, 3), 0) : null,
    },
  };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(report, null, 2)}\n`);
  console.table(results);
  console.table(cached);
  if (users) console.log(JSON.stringify(users, null, 2));
  if (soaked) console.log(JSON.stringify(soaked, null, 2));
  const lines = Object.entries(report.targets)
    .filter(([, value]) => value)
    .map(([name, value]) => `target ${value!.met ? 'MET' : 'NOT MET'}: ${name} (measured ${describeTarget(name, report)})`);
  for (const line of lines) console.log(line);
  writeFileSync(new URL('./results.md', import.meta.url), resultsMarkdown(report, lines));
}

/** The figure a target line shows: the measured value itself, not the margin `target` compares. */
function describeTarget(name: string, report: { mesh: { ratios: Record<string, number>; rssOverTime: MeshReport['rssOverTime']; targets: MeshReport['targets'] } | null; fourProvidersAt50ms: { medianMs: number; ratioToSlowest: number } | null; targets: Record<string, { measured: number } | null> }): string {
  const mesh = report.mesh;
  if (name.includes('4 x Mesh') && mesh) return `${mesh.ratios['campaignGraph / mesh (requests per CPU-second)']} x (${mesh.targets.campaignGraph!.requestsPerCpuSecond} vs ${mesh.targets.mesh!.requestsPerCpuSecond} req/CPU-s)`;
  if (name.includes('half of Mesh') && mesh) return `${mesh.targets.campaignGraph!.rssMiB} vs ${mesh.targets.mesh!.rssMiB} MiB, ${mesh.ratios['campaignGraph / mesh (RSS)']} x`;
  if (name.includes('flat over') && mesh) return `${mesh.rssOverTime.campaignGraph.rssMiBEarly} -> ${mesh.rssOverTime.campaignGraph.rssMiBLate} MiB, ${mesh.rssOverTime.campaignGraph.growth} x`;
  if (name.includes('lower bound') && mesh) return `${mesh.targets.campaignGraph!.upstreamCallsPerRequest} calls`;
  if (name.includes('50 ms') && report.fourProvidersAt50ms) return `${report.fourProvidersAt50ms.medianMs} ms, ${report.fourProvidersAt50ms.ratioToSlowest} x`;
  return String(Math.abs(report.targets[name]!.measured));
}

function resultsMarkdown(report: Record<string, unknown> & { date: string; node: string; cpus: number }, lines: string[]): string {
  const mesh = report.mesh as { ratios: Record<string, number>; targets: MeshReport['targets'] } | null;
  const rows = mesh
    ? Object.entries(mesh.targets).map(([key, t]) => `| ${key} | ${t.requestsPerCpuSecond} | ${t.p50} | ${t.p99} | ${t.rssMiB} | ${t.upstreamCallsPerRequest} | ${t.errors} |`)
    : [];
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${report.date} (Node ${report.node}, ${report.cpus} cores, a shared machine: compare ratios within this run). The figures behind each line are in bench/results.json and bench/mesh/results.json.`,
    '',
    '## Targets',
    '',
    ...lines.map((line) => `- ${line}`),
    '',
    ...(mesh
      ? [
          '## The Mesh scenario (one Migma campaign\'s stats and first 50 recipient logs, no cache; medians of rounds)',
          '',
          '| server | requests per CPU-second | p50 ms | p99 ms | RSS MiB | upstream calls per request | errors |',
          '|---|---|---|---|---|---|---|',
          ...rows,
          '',
          'Ratios (per round, then medians): ' + Object.entries(mesh.ratios).map(([k, v]) => `${k} ${v}`).join('; ') + '.',
          '',
        ]
      : []),
  ].join('\n');
}

/**
 * A query over all four providers (three campaign lists and Infobip's email logs, each one call),
 * every simulator answering after 50 ms, sent one at a time: the gateway's latency against the
 * slowest provider's.
 */
async function fourProvidersAt50ms(simulators: Simulators, env: Record<string, string>, agent: Agent) {
  const DELAY_MS = 50;
  const query = '{ campaigns(first: 20) { edges { node { provider name } } } emailLogs(first: 10) { edges { node { messageId } } } }';
  const gateway = await startGateway(env);
  try {
    const send = async () => {
      for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
      const started = performance.now();
      const response = await request(gateway.url, { method: 'POST', dispatcher: agent, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
      const text = await response.body.text();
      const ms = performance.now() - started;
      const body = JSON.parse(text) as { data?: { campaigns: { edges: Array<{ node: { provider: string } }> }; emailLogs: { edges: unknown[] } }; errors?: unknown };
      const providers = new Set(body.data?.campaigns.edges.map((e) => e.node.provider));
      if (response.statusCode !== 200 || body.errors || providers.size < 3 || !body.data?.emailLogs.edges.length) throw new Error(`four providers: ${text.slice(0, 300)}`);
      const called = Object.entries(simulators).filter(([, s]) => s!.calls.length > 0).length;
      return { ms, called, calls: upstreamCalls(simulators) };
    };
    // Warm-up without delay, as every other phase warms up: a serving gateway's hot paths are
    // optimised (its first requests take 2 to 4 times as much CPU) and its query compiled.
    for (let i = 0; i < 300; i++) await send();
    for (const simulator of Object.values(simulators)) simulator!.inject({ delayMs: DELAY_MS, times: Infinity });
    const samples = [];
    for (let i = 0; i < 40; i++) samples.push(await send());
    const latencies = samples.map((s) => s.ms).sort((a, b) => a - b);
    const medianMs = round(latencies[Math.floor(latencies.length / 2)]!, 1);
    return {
      query,
      providerDelayMs: DELAY_MS,
      requests: samples.length,
      providersCalledPerRequest: Math.min(...samples.map((s) => s.called)),
      upstreamCallsPerRequest: round(samples.reduce((sum, s) => sum + s.calls, 0) / samples.length, 2),
      medianMs,
      p90Ms: round(latencies[Math.floor(latencies.length * 0.9)]!, 1),
      ratioToSlowest: round(medianMs / DELAY_MS, 3),
    };
  } finally {
    await gateway.stop();
  }
}

/**
 * What one request of a scenario costs upstream on its own (a fresh gateway, no cache, nothing in
 * flight beside it): the baseline the cache's hit rate is measured against.
 */
async function costAlone(simulators: Simulators, scenario: Scenario, env: Record<string, string>): Promise<number> {
  const gateway = await startGateway({ ...env, CACHE_TTL_S: '0' });
  try {
    for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
    const response = await request(gateway.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: scenario.query }) });
    await response.body.text();
    const calls = upstreamCalls(simulators);
    for (const simulator of Object.values(simulators)) simulator!.calls.length = 0;
    return calls;
  } finally {
    await gateway.stop();
  }
}

function target(measured: number, atLeast: number): { measured: number; met: boolean } {
  return { measured, met: measured >= atLeast };
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


function medians<T extends Record<string, number>>(rounds: T[]): T {
  const keys = Object.keys(rounds[0]!) as Array<keyof T>;
  return Object.fromEntries(
    keys.map((key) => {
      const values = rounds.map((r) => r[key] as number).sort((a, b) => a - b);
      return [key, round(values[Math.floor(values.length / 2)]!, 2)];
    }),
  ) as T;
}


main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
