import { LRUCache } from 'lru-cache';
import type { RedisConnection } from './redisConnection.js';

/** A cached provider answer: the route's data and when the provider gave it. */
export interface CacheEntry {
  data: unknown;
  /** Epoch ms. */
  storedAt: number;
}

/** Where cached answers live: in memory, or in Redis shared by every instance. */
export interface CacheStore {
  get(key: string): Promise<CacheEntry | undefined>;
  /** Keeps the entry for `keepMs` (its TTL plus the stale window), then forgets it. */
  set(key: string, entry: CacheEntry, keepMs: number): Promise<void>;
}

export interface MemoryCacheLimits {
  maxEntries: number;
  maxBytes: number;
}

/**
 * Answers in process memory, bounded by entries and by bytes (the JSON size of each answer), least
 * recently used first out, each forgotten after its own keep time (lru-cache).
 */
export class MemoryCacheStore implements CacheStore {
  private readonly lru: LRUCache<string, CacheEntry>;

  constructor(limits: MemoryCacheLimits) {
    this.lru = new LRUCache<string, CacheEntry>({
      max: limits.maxEntries,
      maxSize: limits.maxBytes,
      sizeCalculation: (entry) => Math.max(1, JSON.stringify(entry.data ?? null).length),
      ttlAutopurge: false,
    });
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    return this.lru.get(key);
  }

  async set(key: string, entry: CacheEntry, keepMs: number): Promise<void> {
    this.lru.set(key, entry, { ttl: Math.max(1, keepMs) });
  }

  get size(): number {
    return this.lru.size;
  }

  get bytes(): number {
    return this.lru.calculatedSize;
  }
}

/**
 * Answers in Redis while it is ready (one entry per key, `PX` = keep time, JSON values), in memory
 * while it is not or a command fails: losing Redis costs upstream calls, never a response.
 */
export class SharedCacheStore implements CacheStore {
  constructor(
    private readonly redis: RedisConnection,
    private readonly fallback: CacheStore,
  ) {}

  async get(key: string): Promise<CacheEntry | undefined> {
    if (!this.redis.ready) return this.fallback.get(key);
    try {
      const text = await this.redis.client.get(key);
      return text === null ? undefined : (JSON.parse(text) as CacheEntry);
    } catch {
      return this.fallback.get(key);
    }
  }

  async set(key: string, entry: CacheEntry, keepMs: number): Promise<void> {
    if (this.redis.ready) {
      try {
        await this.redis.client.set(key, JSON.stringify(entry), 'PX', Math.max(1, Math.round(keepMs)));
        return;
      } catch {
        // fall through to memory
      }
    }
    await this.fallback.set(key, entry, keepMs);
  }
}
