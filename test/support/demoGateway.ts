import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config.js';
import { startDemo, type Demo } from '../../src/demo/demoMode.js';
import { createGateway, type Gateway } from '../../src/gateway.js';

export interface DemoGateway {
  demo: Demo;
  gateway: Gateway;
  /** `http://127.0.0.1:<port>`: the gateway's origin. */
  origin: string;
  /** `<origin>/graphql`. */
  url: string;
  close(): Promise<void>;
}

/**
 * A gateway in demo mode, as `npm start` without keys runs it: the four providers' simulators on
 * loopback (with DEMO_FAULTS when `env` sets it), the gateway configured from `env` alone
 * (LOG_LEVEL silent unless given), served on 127.0.0.1, port 0.
 */
export async function startDemoGateway(env: Record<string, string | undefined> = {}): Promise<DemoGateway> {
  const demo = await startDemo(loadConfig({ LOG_LEVEL: 'silent', GATEWAY_COMPILE_AFTER_USES: process.env.GATEWAY_COMPILE_AFTER_USES, ...env }));
  const gateway = createGateway(demo.config);
  const server: Server = createServer(gateway.listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    demo,
    gateway,
    origin,
    url: `${origin}/graphql`,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await gateway.close();
      await demo.close();
    },
  };
}
