/**
 * The side-by-side peers of campaign-graph (issue 11), each a child process listening on
 * 127.0.0.1 whose CPU can be read from /proc by pid:
 *
 * - campaign-graph itself (`node dist/main.js`, built first), pointed at a Migma simulator;
 * - GraphQL Mesh over Migma's OpenAPI document (migma.openapi.json, composed by compose.config.mjs)
 *   served by Hive Gateway, pointed at the same simulator;
 * - two ceilings: a bare graphql-yoga `{ hello }` server and plain node:http answering a fixed
 *   ~14.5 KB JSON body.
 *
 * Plus the shared scenario ("one campaign's Migma stats plus its first 50 recipient logs, a
 * different campaign per request, no cache"): its query for campaign-graph and for the Mesh schema,
 * and a checker of each answer against the simulator's data (a fast wrong answer is an error).
 *
 * bench/mesh has its own package.json: `ensureMeshInstalled()` runs `npm ci --prefix bench/mesh`
 * when bench/mesh/node_modules is missing; the root `npm ci` never installs these packages.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { migmaDemoLogRows, type MigmaSimulatorData } from '../../src/providers/migma/demoData.js';
import { statsOf } from '../../src/providers/migma/simulator.js';
import type { MigmaCampaign, MigmaLogRow } from '../../src/providers/migma/wire.js';

export const MESH_DIR = fileURLToPath(new URL('.', import.meta.url));
export const ROOT_DIR = fileURLToPath(new URL('../..', import.meta.url));
const MESH_MODULES = `${MESH_DIR}node_modules`;
export const SUPERGRAPH_PATH = `${MESH_DIR}supergraph.graphql`;

/** A server running as a child process. */
export interface Peer {
  name: string;
  /** Where to POST GraphQL (or anything, for the plain HTTP ceiling). */
  url: string;
  pid: number;
  /** What the process wrote to stderr. */
  stderr(): string;
  alive(): boolean;
  /** SIGTERM to this pid, SIGKILL to the same pid after 5 s if it is still running. */
  stop(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------
// Install and compose

/**
 * Installs bench/mesh's packages from its lockfile (`npm ci --prefix bench/mesh`) when
 * bench/mesh/node_modules is missing. Returns how long the install took (null: already there).
 */
export function ensureMeshInstalled(): { seconds: number | null } {
  if (existsSync(`${MESH_MODULES}/@graphql-hive/gateway/package.json`) && existsSync(`${MESH_MODULES}/@graphql-mesh/compose-cli/package.json`)) {
    return { seconds: null };
  }
  console.log('bench/mesh/node_modules is missing: npm ci --prefix bench/mesh (about 530 MB, one to three minutes)');
  const started = performance.now();
  execFileSync('npm', ['ci', '--prefix', MESH_DIR, '--no-audit', '--no-fund'], { stdio: 'inherit' });
  return { seconds: (performance.now() - started) / 1000 };
}

/** Size of bench/mesh/node_modules in MiB (`du -sk`), or null when it is missing. */
export function meshInstallMiB(): number | null {
  if (!existsSync(MESH_MODULES)) return null;
  const kib = Number(execFileSync('du', ['-sk', MESH_MODULES], { encoding: 'utf8' }).split('\t')[0]);
  return Math.round(kib / 1024);
}

/** Composes migma.openapi.json into bench/mesh/supergraph.graphql with Mesh Compose; returns its path. */
export function composeSupergraph(): string {
  execFileSync(
    process.execPath,
    [`${MESH_MODULES}/@graphql-mesh/compose-cli/esm/bin.js`, '-c', 'compose.config.mjs', '-o', 'supergraph.graphql'],
    { cwd: MESH_DIR, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return SUPERGRAPH_PATH;
}

/** The installed versions of the Mesh peer's packages. */
export function meshVersions(): Record<string, string> {
  const names = ['@graphql-hive/gateway', '@graphql-hive/gateway-runtime', '@graphql-mesh/compose-cli', '@omnigraph/openapi', '@graphql-mesh/transport-rest', 'graphql'];
  return Object.fromEntries(
    names.map((name) => [name, (JSON.parse(readFileSync(`${MESH_MODULES}/${name}/package.json`, 'utf8')) as { version: string }).version]),
  );
}

// ---------------------------------------------------------------------------------------------
// Processes

/** The environment every child gets: no provider keys or settings from the caller's shell. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = { NODE_ENV: 'production' };
  for (const key of ['PATH', 'HOME', 'TMPDIR', 'LANG']) if (process.env[key]) env[key] = process.env[key]!;
  return { ...env, ...extra };
}

/**
 * Spawns `node <args>` and waits until `ready(stdout so far)` gives the URL (or a promise of it),
 * then until `probe(url)` succeeds.
 */
async function startChild(
  name: string,
  args: string[],
  options: { cwd: string; env: Record<string, string>; ready: (stdout: string, child: ChildProcess) => string | null; probe?: (url: string) => Promise<boolean>; node?: string },
): Promise<Peer> {
  const child = spawn(options.node ?? process.execPath, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<never>((_, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`${name} exited (${code ?? signal}) before it was ready:\n${stdout}\n${stderr}`)));
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const force = setTimeout(() => child.kill('SIGKILL'), 5000);
      child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      child.kill('SIGTERM');
    });
  const urlFound = new Promise<string>((resolve) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.length > 1_000_000) stdout = stdout.slice(-100_000);
      const url = options.ready(stdout, child);
      if (url) resolve(url);
    });
  });
  exited.catch(() => undefined);
  const timeout = (ms: number) => new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${name} not ready after ${ms} ms:\n${stdout}\n${stderr}`)), ms).unref());
  try {
    const url = await Promise.race([urlFound, exited, timeout(60_000)]);
    if (options.probe) {
      const deadline = Date.now() + 30_000;
      while (!(await options.probe(url).catch(() => false))) {
        if (Date.now() > deadline) throw new Error(`${name} does not answer at ${url}:\n${stdout}\n${stderr}`);
        await Promise.race([new Promise((resolve) => setTimeout(resolve, 200)), exited]);
      }
    }
    return {
      name,
      url,
      pid: child.pid!,
      stderr: () => stderr,
      alive: () => child.exitCode === null && child.signalCode === null,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The loopback TCP ports `pid` listens on, from /proc (for servers that print port 0). */
export function listeningPorts(pid: number): number[] {
  const inodes = new Set<string>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  const ports: number[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const line of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is fields[1] (hex ip:port), st is fields[3] (0A = LISTEN), inode is fields[9].
      if (fields[3] === '0A' && inodes.has(fields[9]!)) ports.push(parseInt(fields[1]!.split(':')[1]!, 16));
    }
  }
  return ports;
}

/** Pids of the child processes of `pid` (a server whose CPU would be undercounted if it had any). */
export function childPids(pid: number): number[] {
  const children: number[] = [];
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      children.push(...readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number));
    } catch {
      // thread gone
    }
  }
  return children;
}

const graphqlAnswers = async (url: string, query = '{ __typename }') => {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  const body = (await response.json()) as { data?: unknown };
  return response.status === 200 && !!body.data;
};

/** Builds campaign-graph (`tsc -p tsconfig.build.json` into dist/). */
export function buildCampaignGraph(): void {
  execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], { cwd: ROOT_DIR, stdio: 'inherit' });
}

/**
 * campaign-graph (`node dist/main.js`, built already) in production mode with only Migma
 * configured, pointed at `migmaUrl`: no response cache (`CACHE_TTL_S=0`) and no outbound quota
 * (`MIGMA_RATE_LIMIT_PER_MINUTE=0`) unless `env` says otherwise. `entry`: another build's main.js;
 * `node`: another Node binary (default: this process's).
 */
export function startCampaignGraph(options: { migmaUrl: string; migmaKey: string; env?: Record<string, string>; nodeArgs?: string[]; entry?: string; node?: string }): Promise<Peer> {
  return startChild('campaign-graph', [...(options.nodeArgs ?? []), options.entry ?? 'dist/main.js'], {
    cwd: ROOT_DIR,
    node: options.node,
    env: childEnv({
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      CURSOR_SECRET: 'bench-mesh-side-by-side',
      CACHE_TTL_S: '0',
      MIGMA_RATE_LIMIT_PER_MINUTE: '0',
      MIGMA_API_KEY: options.migmaKey,
      MIGMA_BASE_URL: options.migmaUrl,
      ...options.env,
    }),
    ready: (stdout) => /listening on (http:\/\/\S+\/graphql)/.exec(stdout)?.[1] ?? null,
    probe: (url) => graphqlAnswers(url),
  });
}

/**
 * Hive Gateway (`hive-gateway supergraph`, one process: `--fork 1`) serving the Mesh supergraph
 * (compose it first: {@link composeSupergraph}), its REST transport pointed at `migmaUrl` with
 * `Authorization: Bearer <migmaKey>`. Its defaults otherwise (no response cache, in-flight
 * deduplication of identical upstream requests on). It prints port 0, so the URL comes from /proc.
 */
export function startHiveGateway(options: { migmaUrl: string; migmaKey: string; env?: Record<string, string>; nodeArgs?: string[]; extraArgs?: string[] }): Promise<Peer> {
  if (!existsSync(SUPERGRAPH_PATH)) throw new Error(`${SUPERGRAPH_PATH} is missing: composeSupergraph() first`);
  return startChild(
    'mesh (Hive Gateway)',
    [
      ...(options.nodeArgs ?? []),
      `${MESH_MODULES}/@graphql-hive/gateway/dist/bin.js`,
      'supergraph',
      SUPERGRAPH_PATH,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '--fork',
      '1',
      ...(options.extraArgs ?? []),
    ],
    {
      // No gateway.config.* or mesh.config.* there: the CLI's defaults.
      cwd: MESH_DIR,
      env: childEnv({ MIGMA_BASE_URL: options.migmaUrl, MIGMA_API_KEY: options.migmaKey, ...options.env }),
      ready: (stdout, child) => {
        if (!/Listening on http:\/\/127\.0\.0\.1/.test(stdout)) return null;
        const port = listeningPorts(child.pid!).find((p) => p > 0);
        return port ? `http://127.0.0.1:${port}/graphql` : null;
      },
      probe: (url) => graphqlAnswers(url),
    },
  );
}

/** Ceiling: a bare graphql-yoga `{ hello }` server (the root's graphql-yoga, as campaign-graph uses). */
export function startYogaHello(): Promise<Peer> {
  return startChild('yoga { hello }', [`${MESH_DIR}hello-server.mjs`], {
    cwd: ROOT_DIR,
    env: childEnv({}),
    ready: (stdout) => /listening on (http:\/\/\S+\/graphql)/.exec(stdout)?.[1] ?? null,
    probe: (url) => graphqlAnswers(url, '{ hello }'),
  });
}

/**
 * Ceiling: a bare graphql-yoga pass-through of the scenario (passthrough-server.mjs): its schema,
 * resolvers calling the simulator with undici directly, nothing else (no cache, limits, metrics,
 * logs, retries or error mapping). Answers CAMPAIGN_GRAPH_QUERY exactly as campaign-graph does.
 */
export function startYogaPassThrough(options: { migmaUrl: string; migmaKey: string }): Promise<Peer> {
  return startChild('yoga pass-through', [`${MESH_DIR}passthrough-server.mjs`], {
    cwd: ROOT_DIR,
    env: childEnv({ MIGMA_BASE_URL: options.migmaUrl, MIGMA_API_KEY: options.migmaKey }),
    ready: (stdout) => /listening on (http:\/\/\S+\/graphql)/.exec(stdout)?.[1] ?? null,
  });
}

/**
 * Ceiling: the scenario with no GraphQL (handwritten-server.mjs): node:http, the two undici calls
 * at once, a hand-built answer of CAMPAIGN_GRAPH_QUERY's shape. What any Node gateway pays at least.
 */
export function startHandWritten(options: { migmaUrl: string; migmaKey: string }): Promise<Peer> {
  return startChild('hand-written node:http + undici', [`${MESH_DIR}handwritten-server.mjs`], {
    cwd: ROOT_DIR,
    env: childEnv({ MIGMA_BASE_URL: options.migmaUrl, MIGMA_API_KEY: options.migmaKey }),
    ready: (stdout) => /listening on (http:\/\/\S+\/graphql)/.exec(stdout)?.[1] ?? null,
  });
}

/** The size of the plain HTTP ceiling's fixed body (about 14.5 KB). */
export const PLAIN_BODY_BYTES = 14848;

/** Ceiling: plain node:http answering a fixed JSON body of `bytes` bytes to every request. */
export function startPlainHttp(bytes = PLAIN_BODY_BYTES): Promise<Peer> {
  return startChild('node:http fixed JSON', [`${MESH_DIR}plain-server.mjs`], {
    cwd: ROOT_DIR,
    env: childEnv({ BODY_BYTES: String(bytes) }),
    ready: (stdout) => /listening on (http:\/\/\S+\/) /.exec(stdout)?.[1] ?? null,
  });
}

// ---------------------------------------------------------------------------------------------
// The data and the scenario

/**
 * `campaigns` sent Migma campaigns (`cmp_bench_000`…), each with 60 to 90 log rows, so every
 * request of a round can ask for a different campaign (and in-flight deduplication of identical
 * upstream calls, which both gateways do, never applies).
 */
export function migmaBenchData(campaigns = 200): MigmaSimulatorData {
  const projectId = 'proj_bench';
  const list: MigmaCampaign[] = [];
  const logs: Record<string, MigmaLogRow[]> = {};
  for (let i = 0; i < campaigns; i++) {
    const id = `cmp_bench_${String(i).padStart(3, '0')}`;
    const created = Date.parse('2026-06-01T09:00:00Z') + i * 3_600_000;
    const subject = `Bench campaign ${i}`;
    const sentAt = new Date(created + 86_400_000).toISOString();
    const rows = 60 + (i % 31);
    list.push({
      id,
      projectId,
      name: `Bench ${i}`,
      subject,
      status: 'sent',
      scheduledAt: sentAt,
      sentAt,
      completedAt: new Date(created + 86_400_000 + 1_800_000).toISOString(),
      estimatedRecipients: rows,
      createdAt: new Date(created).toISOString(),
      updatedAt: new Date(created + 2 * 86_400_000).toISOString(),
    });
    logs[id] = migmaDemoLogRows(id, subject, sentAt, rows, 0xbe00 + i);
  }
  return { projectId, campaigns: list, logs };
}

/** campaign-graph: one Migma campaign's stats and its first 50 recipient logs. */
export const CAMPAIGN_GRAPH_QUERY = `query MigmaCampaign($id: String!) {
  campaignByProviderId(provider: MIGMA, providerId: $id) {
    stats { sent delivered opens uniqueOpens clicks uniqueClicks bounces unsubscribes openRate clickRate lastUpdated }
    recipientLogs(first: 50) { edges { node { toEmail status openCount } } }
  }
}`;

/** The same on the schema Mesh generates from migma.openapi.json (operationIds as root fields, `{success, data}` kept). */
export const MESH_QUERY = `query MigmaCampaign($id: String!) {
  stats: GetCampaignStats(id: $id) {
    ... on ApiResponseCampaignStats { data { totalSent totalDelivered totalOpens uniqueOpens totalClicks uniqueClicks bounces unsubscribes openRate clickRate lastUpdated } }
    ... on ApiError { error code }
  }
  logs: GetCampaignLogs(id: $id, limit: 50) {
    ... on ApiResponseCampaignLogs { data { emails { to_email status open_count } } }
    ... on ApiError { error code }
  }
}`;

/** Compares `actual` with `expected` (JSON values); the first difference's path, or null. */
function difference(actual: unknown, expected: unknown, path = ''): string | null {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected)) ? null : `${path}: ${actual} instead of ${expected}`;
  }
  if (expected === null || typeof expected !== 'object') {
    return actual === expected ? null : `${path || 'answer'}: ${JSON.stringify(actual)?.slice(0, 80)} instead of ${JSON.stringify(expected)}`;
  }
  if (actual === null || typeof actual !== 'object') return `${path || 'answer'}: ${JSON.stringify(actual)?.slice(0, 80)} instead of an object`;
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${path}: not a list`;
    if (actual.length !== expected.length) return `${path}: ${actual.length} items instead of ${expected.length}`;
  }
  for (const key of new Set([...Object.keys(expected), ...Object.keys(actual)])) {
    const found = difference((actual as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], `${path}.${key}`);
    if (found) return found;
  }
  return null;
}

const fraction = (n: number, d: number) => (d === 0 ? null : n / d);

/** What campaign-graph must answer for campaign `id` of `data` (its rates are fractions it derives). */
export function expectedCampaignGraphAnswer(data: MigmaSimulatorData, id: string): unknown {
  const rows = data.logs[id] ?? [];
  const s = statsOf(rows);
  return {
    data: {
      campaignByProviderId: {
        stats: {
          sent: s.totalSent,
          delivered: s.totalDelivered,
          opens: s.totalOpens,
          uniqueOpens: s.uniqueOpens,
          clicks: s.totalClicks,
          uniqueClicks: s.uniqueClicks,
          bounces: s.bounces,
          unsubscribes: s.unsubscribes,
          openRate: fraction(s.uniqueOpens, s.totalDelivered),
          clickRate: fraction(s.uniqueClicks, s.totalDelivered),
          lastUpdated: new Date(s.lastUpdated).toISOString(),
        },
        recipientLogs: { edges: rows.slice(0, 50).map((r) => ({ node: { toEmail: r.to_email, status: r.status, openCount: r.open_count ?? 0 } })) },
      },
    },
  };
}

/** What Mesh must answer for campaign `id` of `data` (Migma's fields as they are on the wire). */
export function expectedMeshAnswer(data: MigmaSimulatorData, id: string): unknown {
  const rows = data.logs[id] ?? [];
  const s = statsOf(rows);
  return {
    data: {
      stats: {
        data: {
          totalSent: s.totalSent,
          totalDelivered: s.totalDelivered,
          totalOpens: s.totalOpens,
          uniqueOpens: s.uniqueOpens,
          totalClicks: s.totalClicks,
          uniqueClicks: s.uniqueClicks,
          bounces: s.bounces,
          unsubscribes: s.unsubscribes,
          openRate: s.openRate,
          clickRate: s.clickRate,
          lastUpdated: new Date(s.lastUpdated).toISOString(),
        },
      },
      logs: { data: { emails: rows.slice(0, 50).map((r) => ({ to_email: r.to_email, status: r.status, open_count: r.open_count })) } },
    },
  };
}

/**
 * Checks a campaign-graph answer (the parsed JSON body) for campaign `id`: null when it is exactly
 * the simulator's data, else what is wrong.
 */
export function checkCampaignGraphAnswer(body: unknown, data: MigmaSimulatorData, id: string): string | null {
  return difference(body, memo(data, `cg:${id}`, () => expectedCampaignGraphAnswer(data, id)));
}

// Expected answers per data set and campaign, computed once (the load generator shares the cores).
const expectations = new WeakMap<MigmaSimulatorData, Map<string, unknown>>();
function memo(data: MigmaSimulatorData, key: string, compute: () => unknown): unknown {
  let byKey = expectations.get(data);
  if (!byKey) expectations.set(data, (byKey = new Map()));
  if (!byKey.has(key)) byKey.set(key, compute());
  return byKey.get(key);
}

/** Checks a Mesh answer for campaign `id` the same way. */
export function checkMeshAnswer(body: unknown, data: MigmaSimulatorData, id: string): string | null {
  const answer = body as { data?: { stats?: { data?: { lastUpdated?: unknown } } } } | null;
  // Mesh's DateTime scalar passes the upstream string through; compare it as an instant.
  const stats = answer?.data?.stats?.data;
  if (stats && typeof stats.lastUpdated === 'string' && !Number.isNaN(Date.parse(stats.lastUpdated))) {
    stats.lastUpdated = new Date(stats.lastUpdated).toISOString();
  }
  return difference(body, memo(data, `mesh:${id}`, () => expectedMeshAnswer(data, id)));
}
