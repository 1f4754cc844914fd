import { createRequire } from 'node:module';
import type { Redis, RedisOptions } from 'ioredis';

/**
 * ioredis is loaded when a connection is made (REDIS_URL set), not when the gateway starts: it
 * and its dependencies are about 60 modules and several MiB of a gateway that runs without Redis.
 */
const loadRedis = (): new (url: string, options: RedisOptions) => Redis => createRequire(import.meta.url)('ioredis').Redis;

export type RedisState = 'ready' | 'connecting' | 'down';

/** Timeouts short enough that a sick Redis costs a request milliseconds, not seconds. */
export interface RedisTimeouts {
  connectTimeoutMs: number;
  commandTimeoutMs: number;
}

export const DEFAULT_REDIS_TIMEOUTS: RedisTimeouts = { connectTimeoutMs: 1000, commandTimeoutMs: 250 };

/**
 * The gateway's one Redis connection (REDIS_URL), shared by the cache and the quotas. Redis is
 * never required: commands are sent only while the connection is ready (no offline queue), so
 * while it is down the stores use their memory fallback at once; ioredis keeps reconnecting
 * (backoff up to 2 s) and the stores use Redis again as soon as it is back.
 */
export class RedisConnection {
  readonly client: Redis;
  private lastError: string | null = null;

  constructor(url: string, timeouts: RedisTimeouts = DEFAULT_REDIS_TIMEOUTS) {
    this.client = new (loadRedis())(url, {
      connectTimeout: timeouts.connectTimeoutMs,
      commandTimeout: timeouts.commandTimeoutMs,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 5), 2000),
      // A key prefix would hide our keys from SCAN-based tests; keys are namespaced `cg:v1:` instead.
    });
    // ioredis emits every failed reconnect; the state says what matters.
    this.client.on('error', (error: Error) => {
      this.lastError = error.message;
    });
    this.client.on('ready', () => {
      this.lastError = null;
    });
  }

  get ready(): boolean {
    return this.client.status === 'ready';
  }

  get state(): RedisState {
    if (this.ready) return 'ready';
    return this.client.status === 'connecting' || this.client.status === 'connect' ? 'connecting' : 'down';
  }

  /** Why it is not ready, when it said (never contains the URL's password: ioredis reports host and port). */
  get error(): string | null {
    return this.ready ? null : this.lastError;
  }

  /** Resolves true once connected, false when `timeoutMs` passes first (the gateway serves either way). */
  whenReady(timeoutMs: number): Promise<boolean> {
    if (this.ready) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        this.client.off('ready', onReady);
        resolve(value);
      };
      const onReady = () => done(true);
      const timer = setTimeout(() => done(false), timeoutMs);
      this.client.once('ready', onReady);
    });
  }

  async close(): Promise<void> {
    this.client.disconnect(false);
  }
}
