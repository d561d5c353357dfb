import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
  TooManyRequestsError,
} from "@/core/errors.ts";
import { createMemoryCache } from "@/core/cache/memory.ts";
import {
  completeInviteAdmission,
  createInvite,
  enforceRedemptionLimits,
  getClaimByClaimant,
  hashIp,
  INVITE_RATE_LIMITS,
  INVITE_TTL_MS,
  listInvites,
  normalizeInviteCode,
  redeemInvite,
  revokeInvite,
} from "@/core/social/invites.ts";
import { INVITE_ALPHABET, INVITE_CODE_BITS } from "@/core/social/invite_codes.ts";
import { getMember } from "@/core/members.ts";
import { readMemberEventsSince } from "@/core/social/notifications.ts";
import { admittedMember, settle, verifiedMember } from "./helpers.ts";

const SALT = "test-salt-0123456789abcdef";
const START = Date.UTC(2025, 0, 15, 12);

Deno.test("[invites] codes are grouped, unambiguous and carry ≥ 40 bits", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    assert.ok(INVITE_CODE_BITS >= 40);
    for (const banned of "01OIL") assert.ok(!INVITE_ALPHABET.includes(banned));
    const inviter = await admittedMember(kv, clock, 1);
    const invite = await createInvite(kv, clock, inviter);
    assert.match(invite.code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);
    assert.equal(invite.status, "active");
    assert.equal(invite.expiresAt - invite.createdAt, INVITE_TTL_MS);
    const canonical = invite.code.replaceAll("-", "");
    assert.equal(
      normalizeInviteCode(` ${canonical.toLowerCase().slice(0, 5)} ${canonical.slice(5)} `),
      canonical,
    );
    assert.throws(() => normalizeInviteCode("AURM-0000-O1"), BadRequestError);
  } finally {
    kv.close();
  }
});

Deno.test("[invites] a fourth active code is refused, also under concurrency", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 1);
    const { ok, errors } = await settle(
      Array.from({ length: 12 }, () => createInvite(kv, clock, inviter)),
    );
    assert.equal(ok.length, 3);
    assert.equal(errors.length, 9);
    for (const error of errors) {
      assert.ok(error instanceof ConflictError);
      assert.equal(error.code, "invite_limit_reached");
    }
    await assert.rejects(createInvite(kv, clock, inviter), ConflictError);
    assert.equal((await listInvites(kv, inviter, clock)).length, 3);
    const stranger = await verifiedMember(kv, clock, 2);
    await assert.rejects(createInvite(kv, clock, stranger), ForbiddenError);
  } finally {
    kv.close();
  }
});

Deno.test("[invites] 200 parallel redemptions of one code: exactly one wins, the rest 409", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const claimants = await Promise.all(
      Array.from({ length: 200 }, (_, i) => verifiedMember(kv, clock, i + 1)),
    );
    const { code } = await createInvite(kv, clock, inviter);
    const ipHash = await hashIp("203.0.113.9", SALT);
    const { ok, errors } = await settle(
      claimants.map((claimantWallet) => redeemInvite(kv, clock, { code, claimantWallet, ipHash })),
    );
    assert.equal(ok.length, 1);
    assert.equal(errors.length, 199);
    for (const error of errors) {
      assert.ok(error instanceof ConflictError, String(error));
      assert.equal(error.code, "invite_already_claimed");
    }
    const winner = ok[0].claim.claimant;
    const admitted = await Promise.all(claimants.map((wallet) => getMember(kv, wallet)));
    const inside = admitted.filter((member) => member?.membership.admitted);
    assert.deepEqual(inside.map((member) => member!.wallet), [winner]);
    assert.equal(inside[0]!.membership.via, "invite");
    assert.equal(inside[0]!.membership.inviteId, ok[0].invite.id);
    // The same claimant retrying is idempotent.
    const again = await redeemInvite(kv, clock, { code, claimantWallet: winner, ipHash });
    assert.equal(again.claim.id, ok[0].claim.id);
    assert.equal(again.admitted, false);
    // The inviter hears about it.
    const events = await readMemberEventsSince(kv, inviter, null);
    assert.deepEqual(events.map((event) => event.type), ["invite_claimed"]);
  } finally {
    kv.close();
  }
});

Deno.test("[invites] expired and revoked codes are gone (410); unknown codes 404", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const claimant = await verifiedMember(kv, clock, 1);
    const ipHash = await hashIp("198.51.100.7", SALT);
    const short = await createInvite(kv, clock, inviter, { ttlMs: 60_000 });
    const revoked = await createInvite(kv, clock, inviter);
    assert.equal((await revokeInvite(kv, clock, inviter, revoked.code)).status, "revoked");
    clock.advance(60_000);
    await assert.rejects(
      redeemInvite(kv, clock, { code: short.code, claimantWallet: claimant, ipHash }),
      (error) => error instanceof GoneError && error.code === "invite_expired",
    );
    await assert.rejects(
      redeemInvite(kv, clock, { code: revoked.code, claimantWallet: claimant, ipHash }),
      (error) => error instanceof GoneError && error.code === "invite_revoked",
    );
    await assert.rejects(
      redeemInvite(kv, clock, { code: "2345-6789-AB", claimantWallet: claimant, ipHash }),
      NotFoundError,
    );
    const statuses = Object.fromEntries(
      (await listInvites(kv, inviter, clock)).map((invite) => [invite.code, invite.status]),
    );
    assert.deepEqual(statuses, { [short.code]: "expired", [revoked.code]: "revoked" });
    // Another member cannot revoke someone else's code.
    const other = await admittedMember(kv, clock, 2);
    const live = await createInvite(kv, clock, inviter);
    await assert.rejects(revokeInvite(kv, clock, other, live.code), NotFoundError);
  } finally {
    kv.close();
  }
});

Deno.test("[invites] expired and revoked codes free their slots; a claim gives one more code", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const claimant = await verifiedMember(kv, clock, 1);
    const ipHash = await hashIp("198.51.100.7", SALT);
    const [first, second] = [
      await createInvite(kv, clock, inviter),
      await createInvite(kv, clock, inviter, { ttlMs: 1000 }),
      await createInvite(kv, clock, inviter),
    ];
    await assert.rejects(createInvite(kv, clock, inviter), ConflictError);
    await redeemInvite(kv, clock, { code: first.code, claimantWallet: claimant, ipHash });
    const fourth = await createInvite(kv, clock, inviter);
    await assert.rejects(createInvite(kv, clock, inviter), ConflictError);
    clock.advance(1000);
    await createInvite(kv, clock, inviter); // replaces the expired `second`
    await assert.rejects(createInvite(kv, clock, inviter), ConflictError);
    await revokeInvite(kv, clock, inviter, fourth.code);
    await createInvite(kv, clock, inviter);
    const statuses = (await listInvites(kv, inviter, clock)).map((invite) => invite.status);
    assert.equal(statuses.filter((status) => status === "active").length, 3);
    assert.equal(statuses.length, 6);
    assert.ok(
      (await listInvites(kv, inviter, clock)).some((i) =>
        i.code === second.code && i.status === "expired"
      ),
    );
  } finally {
    kv.close();
  }
});

Deno.test("[invites] the stored claim holds a salted IP hash, never the raw IP", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const claimant = await verifiedMember(kv, clock, 1);
    const ip = "203.0.113.77";
    const ipHash = await hashIp(ip, SALT);
    assert.notEqual(ipHash, await hashIp(ip, `${SALT}-other`));
    const { code } = await createInvite(kv, clock, inviter);
    await assert.rejects(
      redeemInvite(kv, clock, { code, claimantWallet: claimant, ipHash: ip }),
      "a raw IP is refused",
    );
    await redeemInvite(kv, clock, { code, claimantWallet: claimant, ipHash });
    const claim = await getClaimByClaimant(kv, claimant);
    assert.equal(claim?.ipHash, ipHash);
    const dump: unknown[] = [];
    for await (const entry of kv.list({ prefix: [] })) dump.push(entry.key, entry.value);
    const text = JSON.stringify(dump, (_, v) => typeof v === "bigint" ? String(v) : v);
    assert.ok(!text.includes(ip));
  } finally {
    kv.close();
  }
});

Deno.test("[invites] unverified or already admitted claimants are refused", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const inviter = await admittedMember(kv, clock, 0);
    const member = await admittedMember(kv, clock, 1);
    const ipHash = await hashIp("203.0.113.1", SALT);
    const { code } = await createInvite(kv, clock, inviter);
    await assert.rejects(
      redeemInvite(kv, clock, { code, claimantWallet: "0x" + "c".repeat(40), ipHash }),
      ForbiddenError,
    );
    await assert.rejects(
      redeemInvite(kv, clock, { code, claimantWallet: member, ipHash }),
      (error) => error instanceof ConflictError && error.code === "already_admitted",
    );
    // One claim per claimant: a second code cannot be used by the same member.
    const newcomer = await verifiedMember(kv, clock, 2);
    await redeemInvite(kv, clock, { code, claimantWallet: newcomer, ipHash });
    const other = await createInvite(kv, clock, inviter);
    await assert.rejects(
      redeemInvite(kv, clock, { code: other.code, claimantWallet: newcomer, ipHash }),
      (error) => error instanceof ConflictError && error.code === "already_admitted",
    );
    assert.equal((await completeInviteAdmission(kv, clock, newcomer))?.membership.via, "invite");
    assert.equal(await completeInviteAdmission(kv, clock, member), null);
  } finally {
    kv.close();
  }
});

Deno.test("[invites] redemption attempts are rate limited per IP hash and per member", async () => {
  const cache = createMemoryCache();
  try {
    const ipHash = await hashIp("203.0.113.5", SALT);
    const limit = INVITE_RATE_LIMITS.redeemByWallet.limit;
    for (let i = 0; i < limit; i++) {
      await enforceRedemptionLimits(cache, { ipHash, claimantWallet: `0x${"a".repeat(40)}` });
    }
    await assert.rejects(
      enforceRedemptionLimits(cache, { ipHash, claimantWallet: `0x${"a".repeat(40)}` }),
      TooManyRequestsError,
    );
    // Other members behind the same IP share the per-IP ceiling.
    const perIp = INVITE_RATE_LIMITS.redeemByIp.limit;
    let allowed = 0;
    for (let i = 0; i < perIp; i++) {
      try {
        await enforceRedemptionLimits(cache, { ipHash, claimantWallet: `0x${"b".repeat(39)}${i}` });
        allowed++;
      } catch (error) {
        assert.ok(error instanceof TooManyRequestsError);
      }
    }
    assert.equal(allowed + limit, perIp, "the refused attempt did not spend the IP's budget");
  } finally {
    await cache.close();
  }
});
