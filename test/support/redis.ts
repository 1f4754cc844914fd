import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

/** A redis-server this test run started, on a free loopback port; stopped by its pid only. */
export interface TestRedis {
  url: string;
  port: number;
  /** A plain client for inspecting what reached Redis. */
  client: Redis;
  /** Kills the server (SIGKILL: no goodbye, as a crash). */
  kill(): Promise<void>;
  /** Starts it again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function launch(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
    stdio: 'ignore',
  });
}

async function waitReady(port: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      if (Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Starts Debian's redis-server (installed by .ci/run) for one test file. */
export async function startRedis(): Promise<TestRedis> {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error("redis-server is not installed: these tests start a real one. Install Debian's package (apt-get install -y redis-server), as .ci/run does");
  }
  const port = await freePort();
  let child = launch(port);
  await waitReady(port);
  const client = new Redis({ port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
  // While a test has killed the server, this inspection client's reconnects fail: expected.
  client.on('error', () => undefined);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    async kill() {
      child.kill('SIGKILL');
      await exited(child);
    },
    async restart() {
      child = launch(port);
      await waitReady(port);
    },
    async stop() {
      client.disconnect();
      child.kill('SIGTERM');
      await exited(child);
    },
  };
}
