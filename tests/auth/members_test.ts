import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { ConflictError, ForbiddenError } from "@/core/errors.ts";
import {
  bindNullifier,
  ensureMember,
  getMember,
  getMemberByNullifier,
  grantMembership,
  normalizeNullifierHash,
  revokeGateMembership,
} from "@/core/members.ts";

const ALICE = "0xaAaAaAaaAaAaAaaAaAAAAAAAAaaaAaAaAaaAaaAa";
const BOB = "0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB";
const NULLIFIER = "0x2bf8406809dcefb1a2e4af9f5ca1d4ef0ae0b8c6e8ef0b66b1a5c0a0e0c2b3a4";

Deno.test("[auth] members are keyed by lowercased wallet and created once", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const created = await ensureMember(kv, clock, ALICE);
    assert.equal(created.wallet, ALICE.toLowerCase());
    assert.deepEqual(created.membership, {
      admitted: false,
      via: null,
      admittedAt: null,
      inviteId: null,
    });
    clock.advance(1000);
    assert.deepEqual(await ensureMember(kv, clock, ALICE.toLowerCase()), created);
    assert.deepEqual(await getMember(kv, ALICE), created);
  } finally {
    kv.close();
  }
});

Deno.test("[auth] nullifier hashes are normalized as 256-bit numbers", () => {
  const expected = `0x${"0".repeat(62)}ff`;
  assert.equal(normalizeNullifierHash("0xFF"), expected);
  assert.equal(normalizeNullifierHash("0x00ff"), expected);
  assert.equal(normalizeNullifierHash("255"), expected);
  assert.throws(() => normalizeNullifierHash("0x"), /nullifier/i);
  assert.throws(() => normalizeNullifierHash(`0x1${"0".repeat(64)}`), /nullifier/i);
});

Deno.test("[auth] two wallets racing one nullifier: exactly one owns it", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const wallets = [ALICE, BOB, "0x" + "c".repeat(40), "0x" + "d".repeat(40)];
    const results = await Promise.allSettled(
      wallets.map((wallet) =>
        bindNullifier(kv, clock, wallet, { nullifierHash: NULLIFIER, verificationLevel: "orb" })
      ),
    );
    const winners = results.filter((result) => result.status === "fulfilled");
    assert.equal(winners.length, 1);
    for (const result of results) {
      if (result.status === "rejected") {
        assert.ok(result.reason instanceof ConflictError);
        assert.equal(result.reason.code, "worldid_nullifier_taken");
      }
    }
    const owner = await getMemberByNullifier(kv, NULLIFIER.toUpperCase().replace("0X", "0x"));
    assert.equal(
      owner?.wallet,
      winners[0].status === "fulfilled" ? winners[0].value.member.wallet : "",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[auth] a wallet keeps its nullifier; re-binding the same one is idempotent", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const first = await bindNullifier(kv, clock, ALICE, {
      nullifierHash: NULLIFIER,
      verificationLevel: "device",
    });
    assert.equal(first.outcome, "bound");
    const again = await bindNullifier(kv, clock, ALICE, {
      nullifierHash: NULLIFIER,
      verificationLevel: "device",
    });
    assert.equal(again.outcome, "already_bound");
    await assert.rejects(
      () => bindNullifier(kv, clock, ALICE, { nullifierHash: "0x1234", verificationLevel: "orb" }),
      (error: unknown) =>
        error instanceof ConflictError && error.code === "worldid_wallet_already_verified",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[auth] membership: needs World ID; invite beats gate; losing the NFT only ends gate admission", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    await ensureMember(kv, clock, ALICE);
    await assert.rejects(
      () => grantMembership(kv, clock, ALICE, { via: "gate_nft" }),
      (error: unknown) => error instanceof ForbiddenError && error.code === "worldid_required",
    );
    await bindNullifier(kv, clock, ALICE, { nullifierHash: NULLIFIER, verificationLevel: "orb" });

    const gate = await grantMembership(kv, clock, ALICE, { via: "gate_nft" });
    assert.equal(gate.changed, true);
    assert.equal(gate.member.membership.via, "gate_nft");
    assert.equal((await grantMembership(kv, clock, ALICE, { via: "gate_nft" })).changed, false);

    const revoked = await revokeGateMembership(kv, clock, ALICE);
    assert.equal(revoked.changed, true);
    assert.equal(revoked.member.membership.admitted, false);

    const invited = await grantMembership(kv, clock, ALICE, { via: "invite", inviteId: "inv_1" });
    assert.deepEqual(invited.member.membership, {
      admitted: true,
      via: "invite",
      admittedAt: clock.now(),
      inviteId: "inv_1",
    });
    assert.equal((await grantMembership(kv, clock, ALICE, { via: "gate_nft" })).changed, false);
    assert.equal((await revokeGateMembership(kv, clock, ALICE)).changed, false);
    assert.equal((await getMember(kv, ALICE))?.membership.via, "invite");
  } finally {
    kv.close();
  }
});
