import type { CacheSettings } from '../config.js';
import { MemoryCacheStore, SharedCacheStore, type CacheStore } from './cacheStore.js';
import { MemoryQuotaStore, SharedQuotaStore, type QuotaStore } from './quotaStore.js';
import { RedisConnection } from './redisConnection.js';

/** What the gateway's instances share: the cache and the quota budgets, in Redis when REDIS_URL is set. */
export interface SharedState {
  /** Null without REDIS_URL. */
  redis: RedisConnection | null;
  cache: CacheStore;
  quotas: QuotaStore;
  close(): Promise<void>;
}

export function createSharedState(options: { redisUrl: string | null; cache: CacheSettings }): SharedState {
  const memoryCache = new MemoryCacheStore({ maxEntries: options.cache.maxEntries, maxBytes: options.cache.maxBytes });
  const memoryQuotas = new MemoryQuotaStore();
  if (!options.redisUrl) {
    return { redis: null, cache: memoryCache, quotas: memoryQuotas, close: async () => undefined };
  }
  const redis = new RedisConnection(options.redisUrl);
  return {
    redis,
    cache: new SharedCacheStore(redis, memoryCache),
    quotas: new SharedQuotaStore(redis, memoryQuotas),
    close: () => redis.close(),
  };
}
