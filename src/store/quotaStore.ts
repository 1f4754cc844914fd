import type { RedisConnection } from './redisConnection.js';

/** The sliding window every quota is counted over: any 60 seconds, not clock minutes. */
export const QUOTA_WINDOW_MS = 60_000;

/**
 * Budgets of calls per credential: a sliding log of the calls of the last 60 seconds, plus what
 * the provider itself said is left (its rate-limit headers, or a 429), whichever is tighter.
 */
export interface QuotaStore {
  /**
   * Takes one call from `key`'s budget of `limit` calls per window: 0 when taken, else the
   * milliseconds until there is room (nothing taken).
   */
  take(key: string, limit: number): Promise<number>;
  /** The provider says `remaining` calls are left for the next `resetInMs`: no more are taken before then. */
  tighten(key: string, remaining: number, resetInMs: number): Promise<void>;
  /** Calls taken in the current window, for /ready and metrics. */
  used(key: string): Promise<number>;
}

interface Log {
  times: number[];
  remaining: number;
  resetAt: number;
}

/** Budgets of this process alone. */
export class MemoryQuotaStore implements QuotaStore {
  private readonly logs = new Map<string, Log>();

  constructor(private readonly now: () => number = Date.now) {}

  async take(key: string, limit: number): Promise<number> {
    const now = this.now();
    const log = this.log(key, now);
    if (log.resetAt > now && log.remaining <= 0) return log.resetAt - now;
    if (log.times.length >= limit) return log.times[0]! + QUOTA_WINDOW_MS - now;
    log.times.push(now);
    if (log.resetAt > now) log.remaining--;
    return 0;
  }

  async tighten(key: string, remaining: number, resetInMs: number): Promise<void> {
    const now = this.now();
    const log = this.log(key, now);
    log.remaining = remaining;
    log.resetAt = now + resetInMs;
  }

  async used(key: string): Promise<number> {
    return this.log(key, this.now()).times.length;
  }

  private log(key: string, now: number): Log {
    let log = this.logs.get(key);
    if (!log) {
      log = { times: [], remaining: 0, resetAt: 0 };
      this.logs.set(key, log);
    }
    while (log.times.length && log.times[0]! <= now - QUOTA_WINDOW_MS) log.times.shift();
    return log;
  }
}

/**
 * One atomic step of the shared budget, on Redis's clock (instances' clocks may differ): drop
 * calls older than the window, refuse while the provider's own count says none are left, refuse
 * when the window is full (answering when its oldest call leaves it), else record the call.
 * KEYS: the log (sorted set of call times), the provider's word (hash remaining/resetAt).
 */
const TAKE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local resetAt = tonumber(redis.call('HGET', KEYS[2], 'resetAt') or '0')
local remaining = tonumber(redis.call('HGET', KEYS[2], 'remaining') or '0')
if resetAt > now and remaining <= 0 then return resetAt - now end
if redis.call('ZCARD', KEYS[1]) >= limit then
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  return math.max(1, tonumber(oldest[2]) + window - now)
end
redis.call('ZADD', KEYS[1], now, ARGV[3])
redis.call('PEXPIRE', KEYS[1], window)
if resetAt > now then redis.call('HINCRBY', KEYS[2], 'remaining', -1) end
return 0
`;

const TIGHTEN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = math.max(1, tonumber(ARGV[2]))
redis.call('HSET', KEYS[1], 'remaining', ARGV[1], 'resetAt', now + ttl)
redis.call('PEXPIRE', KEYS[1], ttl)
return 0
`;

const USED = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[1]))
return redis.call('ZCARD', KEYS[1])
`;

let sequence = 0;

/**
 * Budgets shared by every instance on the same Redis (sorted-set sliding logs, one Lua script per
 * take), with this process's own budget as the fallback while Redis is down. During an outage
 * each instance counts alone, so N instances could together send up to N times the budget:
 * docs/caching.md says so.
 */
export class SharedQuotaStore implements QuotaStore {
  private readonly instance = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;

  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: QuotaStore,
  ) {}

  async take(key: string, limit: number): Promise<number> {
    if (!this.redis.ready) return this.fallback.take(key, limit);
    try {
      const member = `${this.instance}-${++sequence}`;
      return Number(await this.redis.client.eval(TAKE, 2, `${key}:log`, `${key}:said`, limit, QUOTA_WINDOW_MS, member));
    } catch {
      return this.fallback.take(key, limit);
    }
  }

  async tighten(key: string, remaining: number, resetInMs: number): Promise<void> {
    await this.fallback.tighten(key, remaining, resetInMs);
    if (!this.redis.ready) return;
    try {
      await this.redis.client.eval(TIGHTEN, 1, `${key}:said`, remaining, Math.round(resetInMs));
    } catch {
      // the memory copy above stands
    }
  }

  async used(key: string): Promise<number> {
    if (!this.redis.ready) return this.fallback.used(key);
    try {
      return Number(await this.redis.client.eval(USED, 1, `${key}:log`, QUOTA_WINDOW_MS));
    } catch {
      return this.fallback.used(key);
    }
  }
}
