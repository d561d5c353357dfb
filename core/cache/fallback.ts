/** Wraps a shared cache (Redis) so that losing it degrades to an in-process store instead of failing. */
import { type Clock, systemClock } from "@/core/clock.ts";
import type { Cache } from "./types.ts";

/** A structured log entry emitted by the fallback wrapper. */
export interface CacheLogEntry {
  level: "warn" | "info";
  event: "cache_primary_unavailable" | "cache_primary_recovered";
  operation: string;
  error?: string;
}

/** Options for {@link createFallbackCache}. */
export interface FallbackCacheOptions {
  primary: Cache & { whenReady?(timeoutMs: number): Promise<boolean> };
  /**
   * Serves while the primary is away. When it can be emptied (`clear`), it is, at the start of
   * every outage: what it kept from an earlier outage may have been changed or deleted since, on
   * any instance, and only the primary saw those deletes.
   */
  fallback: Cache & { clear?(): void };
  clock?: Clock;
  /** While degraded, try the primary again at most this often; default 1000 ms. */
  retryIntervalMs?: number;
  /** Receives one warning when the primary fails and one info entry when it recovers. */
  log?: (entry: CacheLogEntry) => void;
}

/** A fallback cache that can report whether it is currently degraded. */
export interface FallbackCache extends Cache {
  /** True while operations are served by the fallback store. */
  isDegraded(): boolean;
  /**
   * Asks the primary directly (for health checks): resolves and ends a degraded spell when it
   * answers, rejects (and degrades) when it does not. Traffic is not needed to notice a recovery.
   */
  probePrimary(): Promise<void>;
  /**
   * Waits (at most `timeoutMs`) for the primary's first connection, so an instance starts on the
   * shared store instead of spending its first second on the fallback. True when connected.
   */
  whenPrimaryReady(timeoutMs: number): Promise<boolean>;
}

/** Writes `entry` as one JSON line on stderr. */
function logAsJson(entry: CacheLogEntry): void {
  console.warn(JSON.stringify({ time: new Date().toISOString(), ...entry }));
}

/** Serves from `primary`; on errors logs once, serves from `fallback`, and probes the primary to recover. */
export function createFallbackCache(options: FallbackCacheOptions): FallbackCache {
  const { primary, fallback } = options;
  const clock = options.clock ?? systemClock;
  const retryIntervalMs = options.retryIntervalMs ?? 1_000;
  const log = options.log ?? logAsJson;
  let degraded = false;
  let nextProbeAt = 0;

  function recovered(operation: string): void {
    if (!degraded) return;
    degraded = false;
    log({ level: "info", event: "cache_primary_recovered", operation });
  }

  function failed(operation: string, error: unknown): void {
    if (!degraded) {
      degraded = true;
      fallback.clear?.();
      log({
        level: "warn",
        event: "cache_primary_unavailable",
        operation,
        error: error instanceof Error ? error.message : String(error),
      });
    }
    nextProbeAt = clock.now() + retryIntervalMs;
  }

  async function run<T>(operation: string, call: (cache: Cache) => Promise<T>): Promise<T> {
    if (degraded && clock.now() < nextProbeAt) return await call(fallback);
    try {
      const result = await call(primary);
      recovered(operation);
      return result;
    } catch (error) {
      failed(operation, error);
      return await call(fallback);
    }
  }

  return {
    isDegraded: () => degraded,
    async whenPrimaryReady(timeoutMs) {
      return (await primary.whenReady?.(timeoutMs)) ?? true;
    },
    async probePrimary() {
      try {
        await primary.get("health_probe");
      } catch (error) {
        failed("probe", error);
        throw error;
      }
      recovered("probe");
    },
    get: (key) => run("get", (cache) => cache.get(key)),
    set: (key, value, ttlSeconds) => run("set", (cache) => cache.set(key, value, ttlSeconds)),
    delete: (key) => run("delete", (cache) => cache.delete(key)),
    hit: (key, limit, windowSeconds) => run("hit", (cache) => cache.hit(key, limit, windowSeconds)),
    async close() {
      await Promise.all([primary.close(), fallback.close()]);
    },
  };
}
