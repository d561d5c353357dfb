import assert from "node:assert/strict";
import { verifyPersonhood } from "@/core/auth/personhood.ts";
import { createWorldIdPortalClient } from "@/core/auth/worldid.ts";
import { createManualClock } from "@/core/clock.ts";
import { DomainError } from "@/core/errors.ts";
import { getMember, getMemberByNullifier } from "@/core/members.ts";
import { type RecordedPortal, startRecordedPortal } from "@/tests/helpers/recorded_portal.ts";

/** Runs `body` with a fresh KV and the recorded portal on loopback. */
async function withWorld(
  body: (deps: Parameters<typeof verifyPersonhood>[0], portal: RecordedPortal) => Promise<void>,
) {
  const kv = await Deno.openKv(":memory:");
  const portal = await startRecordedPortal();
  try {
    const client = createWorldIdPortalClient({
      portalUrl: portal.url,
      appId: portal.appId,
      action: portal.action,
      timeoutMs: 500,
    });
    await body({ kv, clock: createManualClock(1_700_000_000_000), portal: client }, portal);
    assert.deepEqual(portal.unmatched, []);
  } finally {
    await portal.close();
    kv.close();
  }
}

/** Verifies the named recording and returns the outcome or the error's class and code. */
async function attempt(
  deps: Parameters<typeof verifyPersonhood>[0],
  portal: RecordedPortal,
  name: string,
) {
  const pair = portal.pair(name);
  try {
    return (await verifyPersonhood(deps, pair.wallet, pair.proof)).outcome;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return `${error.constructor.name}:${error.code}`;
  }
}

Deno.test("[auth] World ID: first proof binds the nullifier; a repeat is a welcome back", async () => {
  await withWorld(async (deps, portal) => {
    const pair = portal.pair("success");
    assert.equal(await attempt(deps, portal, "success"), "verified");
    const member = await getMember(deps.kv, pair.wallet);
    assert.equal(member?.worldId?.nullifierHash, pair.proof.nullifier_hash);
    assert.equal(member?.worldId?.verificationLevel, "orb");
    assert.equal(await attempt(deps, portal, "max_verifications_reached"), "welcome_back");
    assert.equal(await attempt(deps, portal, "success"), "welcome_back");
  });
});

Deno.test("[auth] World ID: another wallet cannot reuse a nullifier; unknown repeat humans are refused", async () => {
  await withWorld(async (deps, portal) => {
    assert.equal(await attempt(deps, portal, "success"), "verified");
    assert.equal(
      await attempt(deps, portal, "max_verifications_reached_wallet_b"),
      "ConflictError:worldid_nullifier_taken",
    );
    assert.equal(
      await attempt(deps, portal, "max_verifications_reached_unknown_human"),
      "UnprocessableError:worldid_unknown_returning_human",
    );
    assert.equal(await getMember(deps.kv, portal.pair("success_wallet_b_same_human").wallet), null);
  });
});

Deno.test("[auth] World ID: two wallets racing with one nullifier → exactly one owns it", async () => {
  await withWorld(async (deps, portal) => {
    const outcomes = await Promise.all([
      attempt(deps, portal, "success"),
      attempt(deps, portal, "success_wallet_b_same_human"),
    ]);
    assert.deepEqual(
      [...outcomes].sort(),
      ["ConflictError:worldid_nullifier_taken", "verified"],
    );
    const owner = await getMemberByNullifier(deps.kv, portal.pair("success").proof.nullifier_hash);
    const winner = outcomes[0] === "verified" ? "success" : "success_wallet_b_same_human";
    assert.equal(owner?.wallet, portal.pair(winner).wallet.toLowerCase());
  });
});

Deno.test("[auth] World ID: bad payloads, rejected proofs and outages write nothing", async () => {
  await withWorld(async (deps, portal) => {
    const wallet = portal.pair("success").wallet;
    await assert.rejects(
      () => verifyPersonhood(deps, wallet, { proof: "nope" }),
      (error: unknown) => error instanceof DomainError && error.code === "worldid_invalid_payload",
    );
    assert.equal(
      await attempt(deps, portal, "invalid_proof"),
      "UnprocessableError:worldid_invalid_proof",
    );
    assert.equal(
      await attempt(deps, portal, "invalid_merkle_root"),
      "UnprocessableError:worldid_invalid_merkle_root",
    );
    assert.equal(
      await attempt(deps, portal, "portal_5xx"),
      "ServiceUnavailableError:worldid_portal_unavailable",
    );
    assert.equal(
      await attempt(deps, portal, "portal_timeout"),
      "ServiceUnavailableError:worldid_portal_timeout",
    );
    assert.equal(await getMember(deps.kv, wallet), null);
  });
});
