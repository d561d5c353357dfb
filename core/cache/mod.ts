/** Builds the app's cache: in-process by default, Redis with an in-process fallback when configured. */
import { type Clock, systemClock } from "@/core/clock.ts";
import { type CacheLogEntry, createFallbackCache } from "./fallback.ts";
import { createMemoryCache } from "./memory.ts";
import { createRedisCache } from "./redis.ts";
import type { Cache } from "./types.ts";

export type { Cache, RateLimitResult } from "./types.ts";
export { createMemoryCache, type MemoryCache } from "./memory.ts";
export { createRedisCache } from "./redis.ts";
export { createFallbackCache } from "./fallback.ts";
export { enforceRateLimit, type RateLimitRule } from "./rate_limit.ts";

/** Options for {@link createCache}. */
export interface CreateCacheOptions {
  /** When set (from `REDIS_URL`), values and limits live in Redis, with in-process fallback. */
  redisUrl?: string;
  clock?: Clock;
  log?: (entry: CacheLogEntry) => void;
}

/** Creates the configured cache. */
export function createCache(options: CreateCacheOptions = {}): Cache {
  const clock = options.clock ?? systemClock;
  const memory = createMemoryCache({ clock });
  if (!options.redisUrl) return memory;
  return createFallbackCache({
    primary: createRedisCache({ url: options.redisUrl }),
    fallback: memory,
    clock,
    log: options.log,
  });
}
