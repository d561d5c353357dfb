/** In-process cache and rate limiter: the default when no Redis is configured, and Redis's fallback. */
import { type Clock, systemClock } from "@/core/clock.ts";
import { type Cache, checkPositive, type RateLimitResult } from "./types.ts";

/** Options for {@link createMemoryCache}. */
export interface MemoryCacheOptions {
  clock?: Clock;
  /** Upper bound on stored entries (values plus counters); the oldest are evicted first. */
  maxEntries?: number;
}

interface StoredEntry {
  value: string;
  expiresAt: number;
}

/** An in-process cache that can also be emptied (the fallback store is, at each new outage). */
export interface MemoryCache extends Cache {
  /** Drops every value and counter; the cache stays usable. */
  clear(): void;
}

/** Creates an in-process {@link Cache}; expiry follows the injected clock. */
export function createMemoryCache(options: MemoryCacheOptions = {}): MemoryCache {
  const clock = options.clock ?? systemClock;
  const maxEntries = options.maxEntries ?? 50_000;
  const values = new Map<string, StoredEntry>();
  const counters = new Map<string, { count: number; resetsAt: number }>();

  const evictOverflow = <T>(map: Map<string, T>) => {
    while (map.size > maxEntries) {
      const oldest = map.keys().next().value;
      if (oldest === undefined) break;
      map.delete(oldest);
    }
  };

  return {
    get(key) {
      const entry = values.get(key);
      if (!entry) return Promise.resolve(null);
      if (entry.expiresAt <= clock.now()) {
        values.delete(key);
        return Promise.resolve(null);
      }
      return Promise.resolve(entry.value);
    },
    set(key, value, ttlSeconds) {
      const invalid = checkPositive("ttlSeconds", ttlSeconds);
      if (invalid) return Promise.reject(invalid);
      values.delete(key);
      values.set(key, { value, expiresAt: clock.now() + ttlSeconds * 1000 });
      evictOverflow(values);
      return Promise.resolve();
    },
    delete(key) {
      values.delete(key);
      return Promise.resolve();
    },
    hit(key, limit, windowSeconds): Promise<RateLimitResult> {
      const invalid = checkPositive("limit", limit) ??
        checkPositive("windowSeconds", windowSeconds);
      if (invalid) return Promise.reject(invalid);
      const now = clock.now();
      let counter = counters.get(key);
      if (!counter || counter.resetsAt <= now) {
        counters.delete(key);
        counter = { count: 0, resetsAt: now + windowSeconds * 1000 };
        counters.set(key, counter);
        evictOverflow(counters);
      }
      counter.count += 1;
      const allowed = counter.count <= limit;
      return Promise.resolve({
        allowed,
        remaining: Math.max(0, limit - counter.count),
        retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((counter.resetsAt - now) / 1000)),
      });
    },
    clear() {
      values.clear();
      counters.clear();
    },
    close() {
      values.clear();
      counters.clear();
      return Promise.resolve();
    },
  };
}
