import { timingSafeEqual } from 'node:crypto';
import type { RequestListener } from 'node:http';
import { getOperationAST, GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult } from 'graphql';
import { COMPILED_EXECUTION_DEFAULTS, compiledExecution } from './execution/compiledExecution.js';
import { createYoga, type Plugin, type YogaServerInstance } from 'graphql-yoga';
import type { Config } from './config.js';
import { RequestProviders, type GatewayContext } from './context.js';
import { UnauthenticatedError, toClientError, withBadInputCode } from './errors.js';
import { KnownOperationsFile, knownOperationsOnly, type ReloadOutcome } from './knownOperations.js';
import { CallLedger, withLedger, type StaleAnswer } from './http/callLedger.js';
import { GatewayMetrics } from './metrics/gatewayMetrics.js';
import { metricsPlugin } from './metrics/metricsPlugin.js';
import { connectProviders, type ProviderConnections } from './providers/connect.js';
import { PROVIDER_DEFINITIONS } from './providers/registry.js';
import type { Logger } from 'pino';
import { operationLimits } from './limits/operationLimits.js';
import { createLogger, requestLog, yogaLogger } from './logging.js';
import { responseCompression } from './frontend/compression.js';
import { dashboardFiles } from './frontend/dashboard.js';
import { DEFAULT_QUERY, EXAMPLE_TABS } from './frontend/exampleTabs.js';
import { lightGraphiQL } from './frontend/graphiql.js';
import { requestBodyLimit } from './limits/requestBody.js';
import { routerOnlyFields } from './limits/routerOnly.js';
import { persistedQueries } from './persistedQueries.js';
import { responseCache } from './responseCache.js';
import { createSharedState, type SharedState } from './store/sharedState.js';
import { setCursorSecret } from './relay/cursor.js';
import { resolvers } from './resolvers/index.js';
import { buildExecutableSchema } from './schema.js';
import { startTracing, type Tracing } from './tracing.js';

export { DEFAULT_QUERY } from './frontend/exampleTabs.js';

export interface Gateway {
  yoga: YogaServerInstance<Record<string, unknown>, GatewayContext>;
  /** What node:http serves (`createServer(gateway.listener)`): yoga, with `HEAD /graphql` answered as GET. */
  listener: RequestListener;
  config: Config;
  /** The cache and quota stores (Redis when REDIS_URL is set). */
  shared: SharedState;
  logger: Logger;
  connections: ProviderConnections;
  /** This instance's Prometheus registry and recorders, served at /metrics. */
  metrics: GatewayMetrics;
  /** OpenTelemetry tracing; null (no SDK at all) unless OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  tracing: Tracing | null;
  /** GATEWAY_OPERATIONS_FILE as in force now; null when it is not set. */
  operations: KnownOperationsFile | null;
  /**
   * Reads GATEWAY_OPERATIONS_FILE again (SIGHUP does, src/main.ts; so does a change of the file),
   * logs what came of it (to `log`, the gateway's logger unless given) and counts it; a bad file
   * keeps the operations in force. Null without the file.
   */
  reloadOperations(reason: string, log?: Logger): ReloadOutcome | null;
  /** /ready answers 503 from now on (shutdown has begun). */
  drain(): void;
  /** Closes the providers' connection pools and Redis, and exports the spans not sent yet. */
  close(): Promise<void>;
}

export interface GatewayOptions {
  logger?: Logger;
  /** How often GATEWAY_OPERATIONS_FILE is checked for a change (a stat of the file); 0 never. */
  operationsPollMs?: number;
}

const GRAPHQL_PATH = '/graphql';

/** The default of GatewayOptions.operationsPollMs. */
export const OPERATIONS_POLL_MS = 5000;

/** The yoga instance over the configured providers. Tests use it through `yoga.fetch` or real HTTP. */
export function createGateway(config: Config, options: GatewayOptions = {}): Gateway {
  setCursorSecret(config.cursorSecret);
  const shared = createSharedState({ redisUrl: config.redisUrl, cache: config.cache });
  const metrics = new GatewayMetrics();
  const logger = options.logger ?? createLogger({ level: config.logLevel, production: config.production });
  const tracing = startTracing(config.tracing, logger);
  const connections = connectProviders(config, shared, { metrics, tracer: tracing?.tracer });
  metrics.watch({ connections, redis: shared.redis });
  let draining = false;

  // Never shown to a client, whatever an upstream echoes back (errors.ts redacts them).
  const secrets = [
    ...Object.values(config.providers).map((settings) => settings!.apiKey),
    ...config.apiTokens,
    ...(config.cursorSecret ? [config.cursorSecret] : []),
  ].filter((secret) => secret.length >= 4);
  const operations = config.knownOperations ? new KnownOperationsFile(config.knownOperations.path, config.knownOperations.operations) : null;
  const reloadOperations = (reason: string, log: Logger = logger): ReloadOutcome | null => {
    if (!operations) return null;
    const outcome = operations.reload();
    if ('loaded' in outcome) {
      log.info({ variable: 'GATEWAY_OPERATIONS_FILE', reason, operations: outcome.loaded }, `GATEWAY_OPERATIONS_FILE reloaded (${reason}): ${outcome.loaded} operations`);
    } else {
      log.error({ variable: 'GATEWAY_OPERATIONS_FILE', reason, operations: outcome.kept }, `GATEWAY_OPERATIONS_FILE not reloaded (${reason}), the ${outcome.kept} operations in force stay: ${outcome.refused}`);
    }
    metrics.operationsFileReloaded('loaded' in outcome ? 'loaded' : 'refused');
    metrics.knownOperations(operations.operations.size);
    return outcome;
  };
  if (operations) {
    metrics.knownOperations(operations.operations.size);
    const pollMs = options.operationsPollMs ?? OPERATIONS_POLL_MS;
    if (pollMs > 0) operations.watch(pollMs, () => void reloadOperations('the file changed'));
  }
  const contexts = new WeakMap<Request, GatewayContext>();
  const graphiql = config.introspection ? lightGraphiQL() : null;
  const dashboard = config.demo ? dashboardFiles(logger) : null;
  const plugins: Plugin<GatewayContext>[] = [
    requestLog(logger, (request) => contexts.get(request)),
    metricsPlugin(metrics),
    readiness(connections, shared, () => draining),
    ...(graphiql ? [graphiql.assets.plugin<GatewayContext>()] : []),
    ...(dashboard ? [dashboard.plugin<GatewayContext>()] : []),
    requestBodyLimit(config.maxBodyBytes),
    unreadableRequests(),
    everyErrorHasACode(config.production),
    ...(operations ? [knownOperationsOnly(operations)] : []),
    persistedQueries(shared.cache),
    operationLimits(config.limits),
    // After the limits' parser, so it wraps that one too.
    documentsTooDeepToParse(),
  ];
  if (config.routerTokens.length > 0) plugins.push(routerOnlyFields(config.routerTokens));
  if (config.cache.ttlS > 0) {
    plugins.push(responseCache({ maxTtlMs: config.cache.ttlS * 1000, maxEntries: 1000, maxBytes: Math.min(config.cache.maxBytes, 32 * 1024 * 1024) }, Date.now, metrics));
  }
  // Before the ledger: it wraps whichever execute function this one sets.
  if (config.compileAfterUses > 0) {
    plugins.push(compiledExecution<GatewayContext>({ ...COMPILED_EXECUTION_DEFAULTS, minUses: config.compileAfterUses }, metrics));
  }
  plugins.push(ledgerAndStaleAnswers((error) => toClientError(error, 'Unexpected error.', { isDev: !config.production, secrets })));
  if (config.apiTokens.length > 0) plugins.push(bearerTokens(config.apiTokens));
  if (!config.introspection) plugins.push(noIntrospection());
  // Last: its result hook sees each error's final code (it takes the ledger when the context is built).
  if (tracing) plugins.push(tracing.plugin);
  // Its onResponse sees every other plugin's response (and its x-request-id).
  plugins.push(responseCompression<GatewayContext>());

  const yoga = createYoga<Record<string, unknown>, GatewayContext>({
    schema: buildExecutableSchema(resolvers),
    graphqlEndpoint: GRAPHQL_PATH,
    // Browsers on other origins (GATEWAY_CORS_ORIGINS; any in development, none in production by default).
    cors:
      config.corsOrigins === null
        ? false
        : {
            origin: config.corsOrigins,
            methods: ['GET', 'POST', 'OPTIONS'],
            allowedHeaders: ['content-type', 'authorization', 'x-request-id', 'x-cost-report', 'traceparent'],
            exposedHeaders: ['x-request-id'],
            credentials: false,
            maxAge: 600,
          },
    landingPage: false,
    // requestBodyLimit (GATEWAY_MAX_BODY_BYTES) bounds bodies; yoga's own 25 MB limit would pipe
    // every body through a second stream.
    maxRequestBodySize: false,
    graphiql: graphiql ? { defaultQuery: DEFAULT_QUERY, defaultTabs: [...EXAMPLE_TABS], title: 'campaign-graph' } : false,
    renderGraphiQL: graphiql?.render,
    maskedErrors: {
      maskError: (error, message) => toClientError(error, message, { isDev: !config.production, secrets }),
    },
    logging: config.logLevel === 'silent' ? false : yogaLogger(logger),
    context: ({ request }): GatewayContext => {
      const context: GatewayContext = {
        config,
        ledger: new CallLedger(),
        signal: request.signal,
        providers: new RequestProviders(connections, { signal: request.signal }),
      };
      contexts.set(request, context);
      return context;
    },
    plugins,
  });

  return {
    yoga,
    listener: headAsGet(GRAPHQL_PATH, yoga),
    config,
    shared,
    logger,
    connections,
    metrics,
    tracing,
    operations,
    reloadOperations,
    drain() {
      draining = true;
    },
    async close() {
      draining = true;
      operations?.close();
      await Promise.all(Object.values(connections).map((connection) => connection!.close()));
      await shared.close();
      await tracing?.shutdown();
    },
  };
}

/**
 * `HEAD /graphql` is answered as `GET /graphql` would be, without the body (RFC 9110 9.3.2): the
 * GraphiQL page's headers for a browser's Accept, a query's status and headers for a client's.
 * yoga knows only GET and POST there (406 or 405 before), and its GraphiQL plugin runs before any
 * of ours, so the method is overridden where node:http hands the request over, as Express's
 * method-override does; node:http itself leaves out the body of a response to a HEAD. GET's rules
 * hold (no mutation over GET), and limits, tokens, logs and metrics apply as to a GET.
 */
function headAsGet(endpoint: string, handler: RequestListener): RequestListener {
  const path = new RegExp(`^${endpoint}/?(?:\\?|$)`);
  return (request, response) => {
    if (request.method === 'HEAD' && path.test(request.url ?? '')) request.method = 'GET';
    return handler(request, response);
  };
}

/** GATEWAY_API_TOKENS: every GraphQL request needs `Authorization: Bearer <token>` (GraphiQL's page itself loads without). */
function bearerTokens(tokens: string[]): Plugin<GatewayContext> {
  const accepted = tokens.map((token) => Buffer.from(token));
  const isAccepted = (header: string | null) => {
    const match = header ? /^Bearer\s+(.+)$/i.exec(header) : null;
    if (!match) return false;
    const given = Buffer.from(match[1]!.trim());
    return accepted.some((token) => token.length === given.length && timingSafeEqual(token, given));
  };
  return {
    onRequestParse({ request }) {
      if (!isAccepted(request.headers.get('authorization'))) throw new UnauthenticatedError();
    },
  };
}

/**
* A request yoga's parsers cannot read is the client's fault, not a bug: `variables` or
 * `extensions` that are not JSON in a GET query string or a form body make JSON.parse throw a
 * SyntaxError, a multipart `map` that is not an object of lists a TypeError, and either would reach
 * maskError as INTERNAL_SERVER_ERROR. They are a 400 with code BAD_REQUEST, as yoga answers a POST
 * body that is not JSON. (A parser sees nothing but the request; an aborted request stays aborted.)
 */
function unreadableRequests(): Plugin<GatewayContext> {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      setRequestParser(async (request) => {
        try {
          return await requestParser(request);
        } catch (error) {
          if (error instanceof GraphQLError || !(error instanceof Error) || error.name === 'AbortError' || request.signal.aborted) throw error;
          throw new GraphQLError(`The request could not be read: ${error.message}`, {
            extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
          });
        }
      });
    },
  };
}

/**
 * graphql-js parses recursively: a document nested a few thousand levels deep (`{a{a{a...`) runs
 * out of stack, and the RangeError would reach maskError as a bug (INTERNAL_SERVER_ERROR). It is a
 * document the gateway cannot read: GRAPHQL_PARSE_FAILED with HTTP 400, as any syntax error.
 */
function documentsTooDeepToParse(): Plugin<GatewayContext> {
  return {
    onParse({ parseFn, setParseFn }) {
      setParseFn((source, options) => {
        try {
          return parseFn(source, options);
        } catch (error) {
          if (!(error instanceof RangeError)) throw error;
          throw new GraphQLError('Syntax Error: the document is nested too deeply to be read', {
            extensions: { code: 'GRAPHQL_PARSE_FAILED', http: { status: 400 } },
          });
        }
      });
    },
  };
}

/**
 * The last look at every error before it is written: errors yoga answers before masking (bad
 * variables) get the contract's code; a limit the parser enforces keeps QUERY_TOO_COMPLEX (yoga
 * files parse failures under GRAPHQL_PARSE_FAILED); in production nothing of the client's body or
 * of an internal error is echoed (yoga puts the JSON parser's error in `originalError`).
 */
function everyErrorHasACode(production: boolean): Plugin<GatewayContext> {
  return {
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      const errors = result.errors.map((error) => (error instanceof GraphQLError ? finalError(error, production) : error));
      if (errors.some((error, i) => error !== result.errors![i])) setResult({ ...result, errors });
    },
  };
}

function finalError(error: GraphQLError, production: boolean): GraphQLError {
  let final = withBadInputCode(error);
  const extensions = final.extensions ?? {};
  const limited = typeof extensions.limit === 'string' && extensions.code === 'GRAPHQL_PARSE_FAILED';
  const echoes = production && ('originalError' in extensions || 'stacktrace' in extensions);
  if (limited || echoes) {
    const { originalError: _original, stacktrace: _stack, ...kept } = extensions as Record<string, unknown>;
    final = new GraphQLError(final.message, {
      nodes: final.nodes,
      source: final.source,
      positions: final.positions,
      path: final.path,
      extensions: limited ? { ...kept, code: 'QUERY_TOO_COMPLEX' } : kept,
    });
  }
  return final;
}

/** Production without GATEWAY_INTROSPECTION=true: introspection queries are rejected. */
function noIntrospection(): Plugin<GatewayContext> {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}

/**
 * `/ready`: 200 while the instance can serve, 503 once it is draining, with each provider's state
 * (configured, circuit, quota left) and Redis's. A provider that is down or Redis that is gone does
 * not make the instance unready: it still answers (partial data, stale answers, memory cache).
 */
function readiness(connections: ProviderConnections, shared: SharedState, draining: () => boolean): Plugin<GatewayContext> {
  return {
    async onRequest({ url, endResponse, fetchAPI }) {
      if (url.pathname !== '/ready') return;
      const providers: Record<string, unknown> = {};
      for (const definition of PROVIDER_DEFINITIONS) {
        const connection = connections[definition.name];
        providers[definition.name] = connection ? { configured: true, ...(await connection.status()) } : { configured: false };
      }
      const redis = shared.redis ? { configured: true, state: shared.redis.state } : { configured: false, state: 'none' };
      const ready = !draining();
      endResponse(
        new fetchAPI.Response(JSON.stringify({ status: ready ? 'ready' : 'draining', providers, redis }), {
          status: ready ? 200 : 503,
          headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' },
        }),
      );
    },
  };
}

/**
 * Runs each execution with its request's ledger (every upstream call records into it), adds
 * `extensions.stale` when fields were answered from the cache past their TTL (path, provider,
 * route, age in seconds and the time the provider gave the answer, so a client can say "as of
 * 12:03"), and the errors of fields that still answered (partial lists).
 */
function ledgerAndStaleAnswers(toClient: (error: GraphQLError) => Error): Plugin<GatewayContext> {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const ledger = (args.contextValue as GatewayContext).ledger;
      ledger.operationName = getOperationAST(args.document, args.operationName)?.name?.value ?? args.operationName ?? null;
      setExecuteFn((executeArgs) => withLedger(ledger, () => executeFn(executeArgs)));
      return {
        onExecuteDone({ result, setResult }) {
          if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
          if (ledger.stale.length === 0 && ledger.partialFailures.length === 0) return;
          const single = result as ExecutionResult;
          const partial = ledger.partialFailures.map(({ error, path }) => toClient(new GraphQLError(error.message, { path, originalError: error })));
          setResult({
            ...single,
            ...(partial.length ? { errors: [...(single.errors ?? []), ...(partial as GraphQLError[])] } : {}),
            ...(ledger.stale.length ? { extensions: { ...single.extensions, stale: staleReport(ledger.stale) } } : {}),
          } as typeof result);
        },
      };
    },
  };
}

function staleReport(stale: readonly StaleAnswer[], now = Date.now()): unknown[] {
  const byPlace = new Map<string, StaleAnswer>();
  for (const answer of stale) {
    const place = JSON.stringify([answer.path, answer.provider, answer.route]);
    const known = byPlace.get(place);
    if (!known || answer.storedAt < known.storedAt) byPlace.set(place, answer);
  }
  return [...byPlace.values()].map((answer) => ({
    path: answer.path,
    provider: answer.provider,
    route: answer.route,
    ageSeconds: Math.max(0, Math.round((now - answer.storedAt) / 1000)),
    asOf: new Date(answer.storedAt).toISOString(),
  }));
}
