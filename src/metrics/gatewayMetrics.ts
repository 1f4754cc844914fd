import type { ExecutionRecorder } from '../execution/compiledExecution.js';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CacheOutcome, CacheRecorder } from '../http/cacheStage.js';
import type { CircuitState } from '../http/circuitBreaker.js';
import type { UpstreamRecorder } from '../http/metricsStage.js';
import type { QuotaRecorder } from '../http/quotaStage.js';
import type { DataKind } from '../http/route.js';
import type { ProviderConnections } from '../providers/connect.js';
import type { ResponseCacheRecorder } from '../responseCache.js';
import type { RedisConnection } from '../store/redisConnection.js';

/** How a GraphQL operation ended: no errors, errors with some data, or errors and no data. */
export type OperationOutcome = 'ok' | 'partial' | 'error';

/** What a client may call its operation and have it as a label; anything else is `anonymous`. */
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Distinct operation names kept as labels per instance; later new names are `other`. */
export const MAX_OPERATION_NAMES = 200;

const CIRCUIT_VALUE: Readonly<Record<CircuitState, number>> = { closed: 0, 'half-open': 1, open: 2 };

/** Seconds: a cached answer's microseconds to UPSTREAM_TIMEOUT_MS and past. */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const QUOTA_WAIT_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** What the scrape-time gauges read: the providers' circuits and quotas, and Redis. */
export interface MetricsSources {
  connections: ProviderConnections;
  /** Null without REDIS_URL: then there is no `redis_up`. */
  redis: RedisConnection | null;
}

let processMetrics: Registry | undefined;

/**
 * prom-client's default metrics (CPU, memory, event loop lag, GC, handles): one set per process,
 * created once and registered in every gateway's registry. They describe the process, and creating
 * them per gateway would add a GC observer and an event-loop monitor per instance that nothing removes.
 */
function processMetricsRegistry(): Registry {
  if (!processMetrics) {
    processMetrics = new Registry();
    collectDefaultMetrics({ register: processMetrics });
  }
  return processMetrics;
}

/**
 * The gateway's Prometheus metrics: one registry per gateway instance (several gateways in one
 * process never share counters), holding the process metrics too. Stages and plugins record through
 * the narrow recorder interfaces they declare; circuits, quotas and Redis are read at scrape time.
 * Every label is bounded: provider names, route templates, data kinds, status codes, outcomes and
 * operation names that pass {@link GatewayMetrics.operationLabel}. Never a path, an id or a key.
 */
export class GatewayMetrics implements UpstreamRecorder, CacheRecorder, QuotaRecorder, ResponseCacheRecorder, ExecutionRecorder {
  readonly registry: Registry = Registry.merge([processMetricsRegistry()]);
  private readonly operationNames = new Set<string>();
  private sources: MetricsSources | null = null;

  private readonly operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations by name and outcome (ok: no errors; partial: errors and some data; error: errors and no data).',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly operationSeconds = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from receiving a GraphQL request to its result, by operation name.',
    labelNames: ['operation'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly upstreamRequests = new Counter({
    name: 'upstream_requests_total',
    help: 'HTTP attempts to providers by route template, status (HTTP status, or timeout, network, cancelled, not_found) and attempt number.',
    labelNames: ['provider', 'route', 'status', 'attempt'] as const,
    registers: [this.registry],
  });
  private readonly upstreamSeconds = new Histogram({
    name: 'upstream_request_duration_seconds',
    help: 'Duration of one HTTP attempt to a provider, by route template.',
    labelNames: ['provider', 'route'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  private readonly cacheLookups = new Counter({
    name: 'cache_lookups_total',
    help: 'Cross-request cache lookups by kind of data: hit (fresh), miss (called the provider), stale (a miss whose failed call a stale answer stood in for).',
    labelNames: ['provider', 'kind', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly responseCache = new Counter({
    name: 'response_cache_total',
    help: 'Whole-response cache lookups: hit (served without executing) or miss.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private readonly executions = new Counter({
    name: 'executions_total',
    help: 'Operations executed by engine: compiled (graphql-jit, a document seen GATEWAY_COMPILE_AFTER_USES times) or interpreted.',
    labelNames: ['engine'] as const,
    registers: [this.registry],
  });
  private readonly operationsFileReloads = new Counter({
    name: 'operations_file_reloads_total',
    help: 'Reloads of GATEWAY_OPERATIONS_FILE (SIGHUP or a change of the file): loaded, or refused (the operations in force stayed).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  private knownOperationsGauge: Gauge | null = null;
  private readonly quotaWaits = new Counter({
    name: 'quota_waits_total',
    help: "Upstream calls that waited for room in the provider key's budget, then got it.",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly quotaWaitSeconds = new Histogram({
    name: 'quota_wait_seconds',
    help: 'How long a call that waited for room in the budget waited.',
    labelNames: ['provider'] as const,
    buckets: QUOTA_WAIT_BUCKETS,
    registers: [this.registry],
  });
  private readonly quotaRefusals = new Counter({
    name: 'quota_refusals_total',
    help: 'Upstream calls refused by the gateway (UPSTREAM_RATE_LIMITED without asking the provider): no room in the budget within UPSTREAM_QUEUE_MS.',
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly circuitState = new Gauge({
    name: 'circuit_state',
    help: "Each configured provider's circuit: 0 closed, 1 half-open, 2 open.",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly quotaRemaining = new Gauge({
    name: 'quota_remaining',
    help: "Calls left in the provider key's budget over the last 60 seconds (providers with a limit only).",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private readonly quotaLimit = new Gauge({
    name: 'quota_limit_per_minute',
    help: "The provider key's budget: <PROVIDER>_RATE_LIMIT_PER_MINUTE (providers with a limit only).",
    labelNames: ['provider'] as const,
    registers: [this.registry],
  });
  private redisUp: Gauge | null = null;

  constructor(private readonly maxOperationNames = MAX_OPERATION_NAMES) {}

  /** The Content-Type of {@link scrape}'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** What the scrape-time gauges read; until it is called they have no values. */
  watch(sources: MetricsSources): void {
    this.sources = sources;
    if (sources.redis && !this.redisUp) {
      this.redisUp = new Gauge({ name: 'redis_up', help: 'Whether the Redis connection (REDIS_URL) is ready: 1, or 0.', registers: [this.registry] });
    }
  }

  /** The Prometheus text of every metric, the scrape-time gauges read now. */
  async scrape(): Promise<string> {
    await this.readSources();
    return this.registry.metrics();
  }

  /**
   * The label for an operation: its name when it is one (`/^[A-Za-z_][A-Za-z0-9_]{0,63}$/`),
   * `anonymous` otherwise; once {@link MAX_OPERATION_NAMES} names have been seen, new ones are
   * `other`, so clients inventing names cannot grow the series without bound.
   */
  operationLabel(name: string | null | undefined): string {
    if (!name || !OPERATION_NAME.test(name)) return 'anonymous';
    if (this.operationNames.has(name)) return name;
    if (this.operationNames.size >= this.maxOperationNames) return 'other';
    this.operationNames.add(name);
    return name;
  }

  operationDone(name: string | null | undefined, outcome: OperationOutcome, seconds: number): void {
    const operation = this.operationLabel(name);
    this.operations.inc({ operation, outcome });
    this.operationSeconds.observe({ operation }, seconds);
  }

  upstreamAttempt(provider: string, route: string, status: string, attempt: number, seconds: number): void {
    this.upstreamRequests.inc({ provider, route, status, attempt: String(attempt) });
    this.upstreamSeconds.observe({ provider, route }, seconds);
  }

  cacheLookup(provider: string, kind: DataKind, outcome: CacheOutcome): void {
    this.cacheLookups.inc({ provider, kind, outcome });
  }

  responseCacheLookup(outcome: 'hit' | 'miss'): void {
    this.responseCache.inc({ outcome });
  }

  execution(engine: 'compiled' | 'interpreted'): void {
    this.executions.inc({ engine });
  }

  /** The operations GATEWAY_OPERATIONS_FILE holds now (the gauge exists only when the file is set). */
  knownOperations(count: number): void {
    this.knownOperationsGauge ??= new Gauge({
      name: 'known_operations',
      help: 'Operations GATEWAY_OPERATIONS_FILE allows now; only with GATEWAY_OPERATIONS_FILE.',
      registers: [this.registry],
    });
    this.knownOperationsGauge.set(count);
  }

  operationsFileReloaded(outcome: 'loaded' | 'refused'): void {
    this.operationsFileReloads.inc({ outcome });
  }

  quotaWaited(provider: string, seconds: number): void {
    this.quotaWaits.inc({ provider });
    this.quotaWaitSeconds.observe({ provider }, seconds);
  }

  quotaRefused(provider: string): void {
    this.quotaRefusals.inc({ provider });
  }

  private async readSources(): Promise<void> {
    if (!this.sources) return;
    const { connections, redis } = this.sources;
    for (const [provider, connection] of Object.entries(connections)) {
      // status() is what /ready reports: the circuit stage's state and the quota store's count.
      const status = await connection!.status();
      this.circuitState.set({ provider }, CIRCUIT_VALUE[status.circuit]);
      if (status.quota) {
        this.quotaRemaining.set({ provider }, status.quota.remaining);
        this.quotaLimit.set({ provider }, status.quota.perMinute);
      }
    }
    if (redis) this.redisUp?.set(redis.state === 'ready' ? 1 : 0);
  }
}
