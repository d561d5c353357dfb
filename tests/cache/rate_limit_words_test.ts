import assert from "node:assert/strict";
import { createMemoryCache } from "@/core/cache/memory.ts";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import { TooManyRequestsError } from "@/core/errors.ts";

Deno.test("[rate limit] the refusal says how long to wait in plain words, never the rule's name", async () => {
  const cache = createMemoryCache();
  try {
    for (const [windowSeconds, wait] of [[30, /\d+ seconds?/], [600, /\d+ minutes?/]] as const) {
      const rule = { name: `safety_block_wallet_${windowSeconds}`, limit: 1, windowSeconds };
      await enforceRateLimit(cache, rule, "0xabc");
      const refused = await enforceRateLimit(cache, rule, "0xabc").then(
        () => assert.fail("the second hit passes"),
        (error) => error,
      );
      assert.ok(refused instanceof TooManyRequestsError);
      assert.equal(refused.code, "rate_limited");
      assert.match(refused.message, /^Too many tries in a short time\. Please wait /);
      assert.match(refused.message, wait);
      assert.doesNotMatch(refused.message, /safety|_/);
    }
  } finally {
    await cache.close();
  }
});
