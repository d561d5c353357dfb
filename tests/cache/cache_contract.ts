/** One contract every Cache backend must pass; each backend's test file runs it. */
import assert from "node:assert/strict";
import type { Cache } from "@/core/cache/types.ts";

/** A backend under test plus a way to let time pass for it. */
export interface CacheUnderTest {
  cache: Cache;
  /** Lets `milliseconds` pass as far as the backend's expiry is concerned. */
  wait(milliseconds: number): Promise<void>;
  teardown(): Promise<void>;
}

/** Registers the shared cache contract tests for one backend. */
export function defineCacheContractTests(
  backend: string,
  setup: () => Promise<CacheUnderTest>,
): void {
  const contractTest = (name: string, body: (subject: CacheUnderTest) => Promise<void>) =>
    Deno.test(`[cache] ${backend}: ${name}`, async () => {
      const subject = await setup();
      try {
        await body(subject);
      } finally {
        await subject.teardown();
      }
    });

  contractTest("set then get returns the value; delete removes it", async ({ cache }) => {
    assert.equal(await cache.get("profile:1"), null);
    await cache.set("profile:1", JSON.stringify({ name: "Ada" }), 60);
    assert.equal(await cache.get("profile:1"), '{"name":"Ada"}');
    await cache.set("profile:1", "replaced", 60);
    assert.equal(await cache.get("profile:1"), "replaced");
    await cache.delete("profile:1");
    assert.equal(await cache.get("profile:1"), null);
    await cache.delete("never-set");
  });

  contractTest("values expire after their TTL", async ({ cache, wait }) => {
    await cache.set("short", "lived", 0.3);
    await cache.set("long", "lived", 60);
    assert.equal(await cache.get("short"), "lived");
    await wait(450);
    assert.equal(await cache.get("short"), null);
    assert.equal(await cache.get("long"), "lived");
  });

  contractTest(
    "hit allows `limit` hits per window, then reports retry-after",
    async ({ cache }) => {
      const results = [];
      for (let index = 0; index < 4; index++) results.push(await cache.hit("ip:1", 3, 30));
      assert.deepEqual(results.slice(0, 3), [
        { allowed: true, remaining: 2, retryAfterSeconds: 0 },
        { allowed: true, remaining: 1, retryAfterSeconds: 0 },
        { allowed: true, remaining: 0, retryAfterSeconds: 0 },
      ]);
      assert.equal(results[3].allowed, false);
      assert.equal(results[3].remaining, 0);
      assert.ok(results[3].retryAfterSeconds >= 1 && results[3].retryAfterSeconds <= 30);
      const other = await cache.hit("ip:2", 3, 30);
      assert.deepEqual(other, { allowed: true, remaining: 2, retryAfterSeconds: 0 });
    },
  );

  contractTest("a new window starts after the old one ends", async ({ cache, wait }) => {
    assert.equal((await cache.hit("wallet:1", 1, 0.3)).allowed, true);
    assert.equal((await cache.hit("wallet:1", 1, 0.3)).allowed, false);
    await wait(450);
    assert.deepEqual(await cache.hit("wallet:1", 1, 0.3), {
      allowed: true,
      remaining: 0,
      retryAfterSeconds: 0,
    });
  });

  contractTest("rejects non-positive TTLs and limits", async ({ cache }) => {
    await assert.rejects(() => cache.set("k", "v", 0), RangeError);
    await assert.rejects(() => cache.hit("k", 0, 10), RangeError);
    await assert.rejects(() => cache.hit("k", 1, -1), RangeError);
  });
}
