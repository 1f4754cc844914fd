import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig, type Config } from './config.js';
import type { Demo } from './demo/demoMode.js';
import { createGateway } from './gateway.js';

async function main(): Promise<void> {
  let config: Config;
  let demo: Demo | undefined;
  try {
    config = loadConfig();
    if (config.demo) {
      // Demo mode and its simulators load only here: a deployment with keys never imports them.
      const { startDemo } = await import('./demo/demoMode.js');
      demo = await startDemo(config);
      config = demo.config;
    } else if (config.demoFaults) {
      console.warn('campaign-graph: DEMO_FAULTS is ignored: provider keys are set, and faults are played by the demo simulators only');
    }
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`campaign-graph: configuration error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  }
  const gateway = createGateway(config);
  if (gateway.shared.redis && !(await gateway.shared.redis.whenReady(2000))) {
    console.warn('campaign-graph: Redis (REDIS_URL) is not reachable yet: serving with the in-memory cache and per-instance quotas until it is');
  }
  const server = createServer(gateway.yoga);
  // Signals are handled from here on, before the start-up line a process manager may wait for.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`campaign-graph: ${signal} received, draining connections`);
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const url = `http://${host}:${port}/graphql`;
  if (demo) {
    console.log(
      `campaign-graph: DEMO MODE (no provider keys set): serving built-in simulators of ${Object.keys(demo.simulators).join(', ')} on loopback; set a provider key to use real APIs`,
    );
    for (const fault of demo.faults) console.log(`campaign-graph: DEMO_FAULTS: ${fault.provider} ${fault.route ?? '*'} answers ${fault.kind}`);
  }
  if (config.production && !config.cursorSecret) {
    console.warn('campaign-graph: CURSOR_SECRET is not set: cursors are signed with the public default key, so clients can forge them (they are still validated)');
  }
  const enabled = Object.keys(config.providers).join(', ') || 'none';
  console.log(`campaign-graph: listening on ${url} (providers: ${enabled}${config.introspection ? '; GraphiQL at that URL' : ''})`);

}

main().catch((error: unknown) => {
  console.error('campaign-graph: failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
