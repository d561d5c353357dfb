import assert from "node:assert/strict";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { refreshGateAdmission } from "@/core/auth/access.ts";
import { createGateChecker } from "@/core/auth/gate.ts";
import { createMemoryCache } from "@/core/cache/memory.ts";
import { createManualClock } from "@/core/clock.ts";
import { ServiceUnavailableError } from "@/core/errors.ts";
import { bindNullifier, ensureMember } from "@/core/members.ts";
import { startTestChain } from "@/tests/helpers/chain.ts";

const TTL_SECONDS = 60;

Deno.test("[auth] gate on anvil: holder admitted, non-holder not, transfer away + TTL → not admitted", async () => {
  const kv = await Deno.openKv(":memory:");
  const chain = await startTestChain();
  const clock = createManualClock(Date.now());
  const cache = createMemoryCache({ clock });
  try {
    const gateAddress = await chain.deployGate();
    const gate = createGateChecker({
      chain: chain.publicClient,
      contractAddress: gateAddress,
      chainId: 480,
      cache,
      clock,
      ttlSeconds: TTL_SECONDS,
    });
    const holder = await chain.fundedAccount();
    const outsider = privateKeyToAccount(generatePrivateKey());
    const tokenId = await chain.mintGate(gateAddress, holder.address);
    await bindNullifier(kv, clock, holder.address, {
      nullifierHash: "0x01",
      verificationLevel: "orb",
    });
    await bindNullifier(kv, clock, outsider.address, {
      nullifierHash: "0x02",
      verificationLevel: "orb",
    });
    const deps = { kv, clock, gate };

    const admitted = await refreshGateAdmission(deps, holder.address);
    assert.ok(admitted);
    assert.equal(admitted.gate.holdsGateNft, true);
    assert.equal(admitted.gate.cached, false);
    assert.equal(admitted.member.membership.admitted, true);
    assert.equal(admitted.member.membership.via, "gate_nft");
    assert.equal(admitted.membershipChanged, true);

    const refused = await refreshGateAdmission(deps, outsider.address);
    assert.equal(refused?.gate.holdsGateNft, false);
    assert.equal(refused?.member.membership.admitted, false);

    await chain.transferGate(gateAddress, holder, outsider.address, tokenId);

    clock.advance((TTL_SECONDS - 1) * 1000);
    const stillCached = await refreshGateAdmission(deps, holder.address);
    assert.equal(stillCached?.gate.cached, true, "within the TTL the cached answer is used");
    assert.equal(stillCached?.member.membership.admitted, true);

    clock.advance(2_000);
    const afterTtl = await refreshGateAdmission(deps, holder.address);
    assert.equal(afterTtl?.gate.cached, false, "a stale answer is re-checked on chain");
    assert.equal(afterTtl?.gate.holdsGateNft, false);
    assert.equal(afterTtl?.member.membership.admitted, false);
    assert.equal(afterTtl?.membershipChanged, true);

    const newHolder = await refreshGateAdmission(deps, outsider.address, { fresh: true });
    assert.equal(newHolder?.member.membership.admitted, true, "fresh bypasses the cache");
    assert.equal(await refreshGateAdmission(deps, "0x" + "9".repeat(40)), null, "unknown member");
  } finally {
    await cache.close();
    kv.close();
    await chain.stop();
  }
});

Deno.test("[auth] gate: an unverified holder is not admitted; chain outage is ServiceUnavailable", async () => {
  const kv = await Deno.openKv(":memory:");
  const chain = await startTestChain();
  const clock = createManualClock(Date.now());
  const cache = createMemoryCache({ clock });
  try {
    const gateAddress = await chain.deployGate();
    const gate = createGateChecker({
      chain: chain.publicClient,
      contractAddress: gateAddress,
      chainId: 480,
      cache,
      clock,
    });
    const holder = privateKeyToAccount(generatePrivateKey());
    await chain.mintGate(gateAddress, holder.address);
    await ensureMember(kv, clock, holder.address);
    const result = await refreshGateAdmission({ kv, clock, gate }, holder.address);
    assert.equal(result?.gate.holdsGateNft, true);
    assert.equal(result?.member.membership.admitted, false);

    await chain.stop();
    await assert.rejects(
      () => gate.check(holder.address, { fresh: true }),
      (error: unknown) =>
        error instanceof ServiceUnavailableError && error.code === "gate_chain_unavailable",
    );
    assert.equal((await gate.check(holder.address)).cached, true, "cached answers still serve");
  } finally {
    await cache.close();
    kv.close();
    await chain.stop();
  }
});
