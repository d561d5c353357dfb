/**
 * Contract test of the World ID portal client (minikit-js 1.11 line, portal v2 verify) against
 * recorded request/response pairs served on loopback. Every request our client sends must match a
 * recording exactly — including the signal hash — and the SDK's own verifyCloudProof must send the
 * same request, which pins our hashing to the SDK's.
 */
import assert from "node:assert/strict";
import { type ISuccessResult, verifyCloudProof } from "@worldcoin/minikit-js";
import { createWorldIdPortalClient, hashSignalToField } from "@/core/auth/worldid.ts";
import { DomainError } from "@/core/errors.ts";
import { type RecordedPortal, startRecordedPortal } from "@/tests/helpers/recorded_portal.ts";

/** Runs `body` with the recorded portal up, then checks that no unrecorded request was sent. */
async function withPortal(body: (portal: RecordedPortal) => Promise<void>) {
  const portal = await startRecordedPortal();
  try {
    await body(portal);
    assert.deepEqual(portal.unmatched, [], "every request matches a recording");
  } finally {
    await portal.close();
  }
}

const clientFor = (portal: RecordedPortal, timeoutMs = 2_000) =>
  createWorldIdPortalClient({
    portalUrl: portal.url,
    appId: portal.appId,
    action: portal.action,
    timeoutMs,
  });

/** Verifies the named recording's proof and returns the result or the error's class and code. */
async function outcome(portal: RecordedPortal, name: string, timeoutMs?: number) {
  const pair = portal.pair(name);
  try {
    return await clientFor(portal, timeoutMs).verify(pair.proof, pair.wallet);
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return `${error.constructor.name}:${error.code}`;
  }
}

Deno.test("[auth] worldid portal: success returns the normalized nullifier", async () => {
  await withPortal(async (portal) => {
    const pair = portal.pair("success");
    assert.deepEqual(await outcome(portal, "success"), {
      status: "verified",
      nullifierHash: pair.proof.nullifier_hash.toLowerCase(),
      verificationLevel: "orb",
    });
    assert.deepEqual(portal.served, ["success"]);
  });
});

Deno.test("[auth] worldid portal: the SDK's verifyCloudProof sends the same recorded requests", async () => {
  // The SDK leaves a successful response's body unread, so parity is checked on recorded failures,
  // for both wallets: the portal server only answers requests identical to the recordings.
  await withPortal(async (portal) => {
    const endpoint = `${portal.url}/api/v2/verify/${portal.appId}`;
    for (const name of ["invalid_proof", "max_verifications_reached_wallet_b"]) {
      const pair = portal.pair(name);
      // The SDK types verification_level as its own enum; the recorded strings are its values.
      const result = await verifyCloudProof(
        pair.proof as unknown as ISuccessResult,
        portal.appId as `app_${string}`,
        portal.action,
        pair.wallet,
        endpoint,
      );
      assert.equal(result.success, false);
      const recorded = pair.request.body as { signal_hash: string };
      assert.equal(hashSignalToField(pair.wallet), recorded.signal_hash);
      assert.equal(hashSignalToField(pair.wallet.toLowerCase()), recorded.signal_hash);
    }
    assert.deepEqual(portal.served, ["invalid_proof", "max_verifications_reached_wallet_b"]);
  });
});

Deno.test("[auth] worldid portal: rejected proofs, repeat humans, outages and timeouts", async () => {
  await withPortal(async (portal) => {
    assert.equal(
      await outcome(portal, "invalid_proof"),
      "UnprocessableError:worldid_invalid_proof",
    );
    assert.equal(
      await outcome(portal, "invalid_merkle_root"),
      "UnprocessableError:worldid_invalid_merkle_root",
    );
    assert.deepEqual(await outcome(portal, "max_verifications_reached"), {
      status: "max_verifications_reached",
      nullifierHash: portal.pair("max_verifications_reached").proof.nullifier_hash,
      verificationLevel: "orb",
    });
    assert.equal(
      await outcome(portal, "invalid_action"),
      "ServiceUnavailableError:worldid_portal_misconfigured",
    );
    assert.equal(
      await outcome(portal, "portal_5xx"),
      "ServiceUnavailableError:worldid_portal_unavailable",
    );
    assert.equal(
      await outcome(portal, "success_malformed_body"),
      "ServiceUnavailableError:worldid_portal_bad_response",
    );
    const started = performance.now();
    assert.equal(
      await outcome(portal, "portal_timeout", 200),
      "ServiceUnavailableError:worldid_portal_timeout",
    );
    assert.ok(performance.now() - started < 2_000, "the timeout is honoured");
  });
});

Deno.test("[auth] worldid portal: an unreachable portal is ServiceUnavailable", async () => {
  const portal = await startRecordedPortal();
  const pair = portal.pair("success");
  const client = clientFor(portal);
  await portal.close();
  await assert.rejects(
    () => client.verify(pair.proof, pair.wallet),
    (error: unknown) =>
      error instanceof DomainError && error.constructor.name === "ServiceUnavailableError" &&
      error.code === "worldid_portal_unavailable",
  );
});

Deno.test("[auth] worldid signal hashing matches idkit-core's hashToField for text signals", () => {
  assert.equal(
    hashSignalToField(""),
    "0x00c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a4",
  );
  assert.equal(
    hashSignalToField("hello world"),
    "0x0047173285a8d7341e5e972fc677286384f802f8ef42a5ec5f03bbfa254cb01f",
  );
  assert.throws(() => hashSignalToField("0xabc"), RangeError);
});
