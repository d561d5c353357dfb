import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { createInvite, hashIp, redeemInvite } from "@/core/social/invites.ts";
import { getMember } from "@/core/members.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { handleInviteAdmission } from "@/server/background/jobs.ts";
import { admittedMember, verifiedMember } from "@/tests/social/helpers.ts";

Deno.test("[jobs] the invite_admission job finishes an admission the redemption did not", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const logger = createMemoryLogger();
  const deps = { kv, clock, logger, objects: null as never };
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const newcomer = await verifiedMember(kv, clock, 1);
    const { code } = await createInvite(kv, clock, inviter);
    await redeemInvite(kv, clock, {
      code,
      claimantWallet: newcomer,
      ipHash: await hashIp("198.51.100.7", "salt-salt-salt-salt"),
    });
    // Simulate a crash between the claim's commit and the membership grant.
    const entry = await kv.get<Record<string, unknown>>(["members", newcomer]);
    const record = entry.value as { membership: Record<string, unknown> };
    await kv.set(["members", newcomer], {
      ...record,
      membership: { admitted: false, via: null, admittedAt: null, inviteId: null },
    });
    assert.equal((await getMember(kv, newcomer))?.membership.admitted, false);

    assert.equal(await handleInviteAdmission(deps, { kind: "something_else" }), false);
    assert.equal(
      await handleInviteAdmission(deps, { kind: "invite_admission", wallet: newcomer }),
      true,
    );
    const member = await getMember(kv, newcomer);
    assert.equal(member?.membership.admitted, true);
    assert.equal(member?.membership.via, "invite");
    // Running it again changes nothing (queues may deliver twice).
    await handleInviteAdmission(deps, { kind: "invite_admission", wallet: newcomer });
    assert.equal((await getMember(kv, newcomer))?.membership.via, "invite");
  } finally {
    kv.close();
  }
});
