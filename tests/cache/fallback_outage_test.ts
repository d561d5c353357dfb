import assert from "node:assert/strict";
import { createFallbackCache } from "@/core/cache/fallback.ts";
import { createMemoryCache } from "@/core/cache/memory.ts";
import type { Cache } from "@/core/cache/types.ts";

/** A primary whose every call fails while `down` is true (an outage), backed by a memory cache. */
function switchablePrimary(): Cache & { down: boolean } {
  const store = createMemoryCache();
  const gate = <T>(call: () => Promise<T>) =>
    primary.down ? Promise.reject(new Error("primary down")) : call();
  const primary = {
    down: false,
    get: (key: string) => gate(() => store.get(key)),
    set: (key: string, value: string, ttl: number) => gate(() => store.set(key, value, ttl)),
    delete: (key: string) => gate(() => store.delete(key)),
    hit: (key: string, limit: number, window: number) => gate(() => store.hit(key, limit, window)),
    close: () => store.close(),
  };
  return primary;
}

Deno.test("[cache] fallback: what one outage stored is gone in the next (a delete in between reached only the primary)", async () => {
  const primary = switchablePrimary();
  const cache = createFallbackCache({
    primary,
    fallback: createMemoryCache(),
    retryIntervalMs: 0,
    log: () => {},
  });
  try {
    primary.down = true;
    await cache.set("gate:0xabc", "old answer", 60); // lands in the fallback
    assert.equal(await cache.get("gate:0xabc"), "old answer");
    assert.equal(cache.isDegraded(), true);

    primary.down = false;
    await cache.delete("gate:0xabc"); // back on the primary: the fallback never sees this delete
    assert.equal(cache.isDegraded(), false);

    primary.down = true;
    assert.equal(await cache.get("gate:0xabc"), null, "the fallback starts each outage empty");
  } finally {
    await cache.close();
  }
});
