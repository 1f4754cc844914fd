import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Demo } from './demo/demoMode.js';
import { createGateway } from './gateway.js';
import { createLogger } from './logging.js';

/**
 * The logger of the start-up and shutdown announcements (demo mode, DEMO_FAULTS, "listening on
 * <url>", the signal that stops the process, a failure to start): the gateway's own, written at
 * info whatever LOG_LEVEL says. Process managers, the bench and the tests wait for the listening
 * line (`listening on http://HOST:PORT/graphql`), production's default level is warn, and an
 * operator must see that demo mode is on and why a process ended. Everything else keeps LOG_LEVEL.
 */
function announcements(logger: Logger): Logger {
  return logger.isLevelEnabled('info') ? logger : logger.child({}, { level: 'info' });
}

/** A configuration error: one plain line on stderr (there may be no configuration to log with yet), exit 1. */
function configurationError(error: ConfigError): never {
  console.error(`campaign-graph: configuration error: ${error.message}`);
  process.exit(1);
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) configurationError(error);
    throw error;
  }
  const logger = createLogger({ level: config.logLevel, production: config.production });
  const announce = announcements(logger);
  try {
    await serve(config, logger, announce);
  } catch (error) {
    if (error instanceof ConfigError) configurationError(error);
    announce.fatal({ err: error }, `failed to start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

async function serve(loaded: Config, logger: Logger, announce: Logger): Promise<void> {
  let config = loaded;
  let demo: Demo | undefined;
  if (config.demo) {
    // Demo mode and its simulators load only here: a deployment with keys never imports them.
    const { startDemo } = await import('./demo/demoMode.js');
    demo = await startDemo(config);
    config = demo.config;
  } else if (config.demoFaults) {
    logger.warn({ variable: 'DEMO_FAULTS' }, 'DEMO_FAULTS is ignored: provider keys are set, and faults are played by the demo simulators only');
  }
  const gateway = createGateway(config, { logger });
  if (gateway.shared.redis && !(await gateway.shared.redis.whenReady(2000))) {
    logger.warn({ variable: 'REDIS_URL' }, 'Redis (REDIS_URL) is not reachable yet: serving with the in-memory cache and per-instance quotas until it is');
  }
  const server = createServer(gateway.listener);
  // Signals are handled from here on, before the start-up line a process manager may wait for.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    announce.info({ signal }, `${signal} received, draining connections`);
    gateway.drain();
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    server.close(async () => {
      await gateway.close();
      await demo?.close();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // SIGHUP reloads GATEWAY_OPERATIONS_FILE (a bad file keeps the operations in force), its outcome
  // announced whatever LOG_LEVEL says: whoever sent the signal looks for it. Without the file,
  // SIGHUP keeps its default (the process ends, as on a closed terminal).
  if (gateway.operations) process.on('SIGHUP', () => void gateway.reloadOperations('SIGHUP', announce));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}/graphql`;
  if (demo) {
    const simulators = Object.keys(demo.simulators);
    announce.info(
      { demo: true, simulators },
      `DEMO MODE (no provider keys set): serving built-in simulators of ${simulators.join(', ')} on loopback; set a provider key to use real APIs`,
    );
    for (const fault of demo.faults) {
      announce.info({ demoFault: { provider: fault.provider, route: fault.route ?? '*', fault: fault.kind } }, `DEMO_FAULTS: ${fault.provider} ${fault.route ?? '*'} answers ${fault.kind}`);
    }
  }
  if (config.production && !config.cursorSecret) {
    logger.warn({ variable: 'CURSOR_SECRET' }, 'CURSOR_SECRET is not set: cursors are signed with the public default key, so clients can forge them (they are still validated)');
  }
  const providers = Object.keys(config.providers);
  announce.info(
    { url, providers, graphiql: config.introspection },
    `listening on ${url} (providers: ${providers.join(', ') || 'none'}${config.introspection ? '; GraphiQL at that URL' : ''})`,
  );
}

main().catch((error: unknown) => {
  // Only before a logger exists (main's own failures are logged): a plain line.
  console.error('campaign-graph: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
