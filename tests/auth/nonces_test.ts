import assert from "node:assert/strict";
import { assertNonceUsable, consumeNonce, issueNonce, NONCE_LENGTH } from "@/core/auth/nonces.ts";
import { createManualClock } from "@/core/clock.ts";
import { UnauthorizedError } from "@/core/errors.ts";

/** Resolves to the UnauthorizedError code `promise` rejects with. */
async function rejectionCode(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(() => assert.fail("expected a rejection"), (caught) => caught);
  assert.ok(error instanceof UnauthorizedError);
  return error.code;
}

Deno.test("[auth] nonces are alphanumeric, long enough and distinct", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const nonces = new Set<string>();
    for (let index = 0; index < 50; index++) {
      const { nonce, expiresAt } = await issueNonce(kv, clock);
      assert.match(nonce, /^[A-Za-z0-9]+$/);
      assert.equal(nonce.length, NONCE_LENGTH);
      assert.equal(expiresAt, clock.now() + 300_000);
      nonces.add(nonce);
    }
    assert.equal(nonces.size, 50);
  } finally {
    kv.close();
  }
});

Deno.test("[auth] a nonce is consumed once; replay, unknown and expired have distinct codes", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const { nonce } = await issueNonce(kv, clock, 60);
    await assertNonceUsable(kv, clock, nonce);
    await consumeNonce(kv, clock, nonce);
    assert.equal(await rejectionCode(consumeNonce(kv, clock, nonce)), "siwe_nonce_replayed");
    assert.equal(
      await rejectionCode(assertNonceUsable(kv, clock, "Unissued0000")),
      "siwe_nonce_unknown",
    );
    assert.equal(
      await rejectionCode(assertNonceUsable(kv, clock, "bad nonce!")),
      "siwe_nonce_unknown",
    );

    const late = await issueNonce(kv, clock, 60);
    clock.advance(60_000);
    assert.equal(await rejectionCode(consumeNonce(kv, clock, late.nonce)), "siwe_nonce_expired");
  } finally {
    kv.close();
  }
});

Deno.test("[auth] concurrent consumers of one nonce: exactly one wins", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const { nonce } = await issueNonce(kv, clock);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => consumeNonce(kv, clock, nonce)),
    );
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 1);
    for (const result of results) {
      if (result.status === "rejected") assert.equal(result.reason.code, "siwe_nonce_replayed");
    }
  } finally {
    kv.close();
  }
});
