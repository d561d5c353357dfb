import assert from "node:assert/strict";
import { createMemoryCache } from "@/core/cache/memory.ts";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import { createManualClock } from "@/core/clock.ts";
import { TooManyRequestsError } from "@/core/errors.ts";
import { defineCacheContractTests } from "./cache_contract.ts";

defineCacheContractTests("memory", () => {
  const clock = createManualClock(1_700_000_000_000);
  const cache = createMemoryCache({ clock });
  return Promise.resolve({
    cache,
    wait: (milliseconds) => Promise.resolve(clock.advance(milliseconds)),
    teardown: () => cache.close(),
  });
});

Deno.test("[cache] memory: evicts the oldest entries past maxEntries", async () => {
  const cache = createMemoryCache({ maxEntries: 2 });
  await cache.set("a", "1", 60);
  await cache.set("b", "2", 60);
  await cache.set("c", "3", 60);
  assert.equal(await cache.get("a"), null);
  assert.equal(await cache.get("b"), "2");
  assert.equal(await cache.get("c"), "3");
  await cache.close();
});

Deno.test("[cache] enforceRateLimit throws TooManyRequestsError with retry-after", async () => {
  const clock = createManualClock(1_700_000_000_000);
  const cache = createMemoryCache({ clock });
  const rule = { name: "auth_nonce_ip", limit: 2, windowSeconds: 60 };
  assert.equal((await enforceRateLimit(cache, rule, "203.0.113.7")).remaining, 1);
  assert.equal((await enforceRateLimit(cache, rule, "203.0.113.7")).remaining, 0);
  clock.advance(15_000);
  const error = await enforceRateLimit(cache, rule, "203.0.113.7").then(
    () => assert.fail("expected a rate-limit error"),
    (caught) => caught,
  );
  assert.ok(error instanceof TooManyRequestsError);
  assert.equal(error.code, "rate_limited");
  assert.equal(error.retryAfterSeconds, 45);
  assert.equal((await enforceRateLimit(cache, rule, "198.51.100.1")).allowed, true);
  await cache.close();
});
