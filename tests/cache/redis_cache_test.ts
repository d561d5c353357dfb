import assert from "node:assert/strict";
import { type CacheLogEntry, createFallbackCache } from "@/core/cache/fallback.ts";
import { createMemoryCache } from "@/core/cache/memory.ts";
import { createCache } from "@/core/cache/mod.ts";
import { createRedisCache, type RedisCache } from "@/core/cache/redis.ts";
import { startRedis } from "@/tests/helpers/redis.ts";
import { defineCacheContractTests } from "./cache_contract.ts";

const sleep = (milliseconds: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, milliseconds));

/** Resolves once the Redis client reports `ready`. */
async function waitUntilReady(cache: RedisCache, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (cache.status() !== "ready") {
    if (Date.now() > deadline) throw new Error(`redis client stuck in ${cache.status()}`);
    await sleep(20);
  }
}

/** Reads a key straight from the server with redis-cli, bypassing the adapter. */
async function redisCliGet(port: number, key: string): Promise<string> {
  const output = await new Deno.Command("redis-cli", {
    args: ["-h", "127.0.0.1", "-p", String(port), "--raw", "GET", key],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(output.stdout).trim();
}

defineCacheContractTests("redis", async () => {
  const server = await startRedis();
  const cache = createRedisCache({ url: server.url, keyPrefix: "contract:" });
  await waitUntilReady(cache);
  return {
    cache,
    wait: sleep,
    async teardown() {
      await cache.close();
      await server.stop();
    },
  };
});

Deno.test("[cache] redis: values live in the Redis server under the key prefix", async () => {
  const server = await startRedis();
  const cache = createRedisCache({ url: server.url, keyPrefix: "aurum-test:" });
  try {
    await waitUntilReady(cache);
    await cache.set("gate:0xabc", '{"holds":true}', 60);
    assert.equal(await redisCliGet(server.port, "aurum-test:gate:0xabc"), '{"holds":true}');
  } finally {
    await cache.close();
    await server.stop();
  }
});

Deno.test("[cache] killing Redis mid-test keeps calls succeeding on the fallback, then recovers", async () => {
  const server = await startRedis();
  const logs: CacheLogEntry[] = [];
  const redis = createRedisCache({ url: server.url, commandTimeoutMs: 300 });
  const cache = createFallbackCache({
    primary: redis,
    fallback: createMemoryCache(),
    retryIntervalMs: 0,
    log: (entry) => logs.push(entry),
  });
  try {
    await waitUntilReady(redis);
    await cache.set("before", "in-redis", 60);
    assert.equal(await cache.get("before"), "in-redis");
    assert.equal((await cache.hit("ip:1", 5, 60)).remaining, 4);
    assert.equal(cache.isDegraded(), false);

    await server.stop({ abruptly: true });

    // Every call keeps answering, now from the in-process store.
    await cache.set("during", "in-memory", 60);
    assert.equal(await cache.get("during"), "in-memory");
    assert.equal((await cache.hit("ip:1", 5, 60)).remaining, 4); // a fresh counter in memory
    await cache.delete("during");
    assert.equal(await cache.get("during"), null);
    assert.equal(cache.isDegraded(), true);
    const warnings = logs.filter((entry) => entry.event === "cache_primary_unavailable");
    assert.equal(warnings.length, 1, "the outage is logged once, not per call");
    assert.equal(warnings[0].level, "warn");

    await server.restart();
    await waitUntilReady(redis);
    assert.equal(await cache.get("before"), null); // the restarted server has no persistence
    assert.equal(cache.isDegraded(), false);
    assert.deepEqual(logs.map((entry) => entry.event), [
      "cache_primary_unavailable",
      "cache_primary_recovered",
    ]);
    await cache.set("after", "in-redis-again", 60);
    assert.equal(await redisCliGet(server.port, "aurum:after"), "in-redis-again");
  } finally {
    await cache.close();
    await server.stop();
  }
});

Deno.test("[cache] createCache without REDIS_URL is in-process; with it, Redis-backed", async () => {
  const memoryOnly = createCache();
  await memoryOnly.set("k", "v", 60);
  assert.equal(await memoryOnly.get("k"), "v");
  await memoryOnly.close();

  const server = await startRedis();
  const shared = createCache({ redisUrl: server.url, log: () => {} });
  try {
    const deadline = Date.now() + 5_000;
    // The first calls may run before the connection is up; they fall back, then recover.
    while (await redisCliGet(server.port, "aurum:k") !== "v") {
      if (Date.now() > deadline) throw new Error("value never reached Redis");
      await shared.set("k", "v", 60);
      await sleep(50);
    }
  } finally {
    await shared.close();
    await server.stop();
  }
});
