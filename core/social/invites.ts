/**
 * Invites: each admitted member holds at most `maxActive` (3) active codes plus any extra allowance
 * an admin granted (`["invite_allowances", wallet] → n`), enforced with per-member slot keys checked
 * by versionstamp; a code is single use, expires (30 days by default) and can be
 * revoked by its owner. Redemption commits the claim, the code's state, the freed slot and the
 * inviter's event in one atomic operation, then admits the claimant (see `redeemInvite`).
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { systemClock } from "@/core/clock.ts";
import type { Cache } from "@/core/cache/types.ts";
import { enforceRateLimit, type RateLimitRule } from "@/core/cache/rate_limit.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  GoneError,
  NotFoundError,
} from "@/core/errors.ts";
import {
  formatInviteCode,
  generateInviteCode,
  IP_HASH_PATTERN,
  normalizeInviteCode,
} from "./invite_codes.ts";
import { commitWithRetry, getMany } from "@/core/kv.ts";
import { addMemberEvent } from "./notifications.ts";
import {
  getMember,
  grantMembership,
  type Member,
  normalizeWallet,
  walletSchema,
} from "@/core/members.ts";
import { isUlid, ulid } from "@/core/ulid.ts";

export { formatInviteCode, hashIp, normalizeInviteCode } from "./invite_codes.ts";

/** Default lifetime of a code. */
export const INVITE_TTL_MS = 30 * 24 * 60 * 60 * 1000;
/** Default number of active codes a member may hold. */
export const MAX_ACTIVE_INVITES = 3;

/** Rate limits the HTTP layer applies to redemption (subjects: IP hash, claimant wallet). */
export const INVITE_RATE_LIMITS = {
  redeemByIp: { name: "invite_redeem_ip", limit: 10, windowSeconds: 600 },
  redeemByWallet: { name: "invite_redeem_wallet", limit: 5, windowSeconds: 600 },
  createByWallet: { name: "invite_create_wallet", limit: 10, windowSeconds: 3600 },
} as const satisfies Record<string, RateLimitRule>;

const idSchema = z.string().refine(isUlid);

const inviteSchema = z.object({
  id: idSchema,
  code: z.string(),
  inviter: walletSchema,
  createdAt: z.number().int(),
  expiresAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  claimedAt: z.number().int().nullable(),
  claimedBy: walletSchema.nullable(),
  claimId: idSchema.nullable(),
});

const claimSchema = z.object({
  id: idSchema,
  inviteId: idSchema,
  inviter: walletSchema,
  claimant: walletSchema,
  claimedAt: z.number().int(),
  ipHash: z.string().regex(IP_HASH_PATTERN),
});

/** A stored invite code. */
export type Invite = z.infer<typeof inviteSchema>;
/** A stored claim (`INVITE_CLAIMS`): who redeemed which code, and a salted hash of their IP. */
export type InviteClaim = z.infer<typeof claimSchema>;
/** Lifecycle state of a code at a given time. */
export type InviteStatus = "active" | "claimed" | "revoked" | "expired";
/** An invite as its owner sees it. */
export interface InviteView {
  id: string;
  /** Display form, `XXXX-XXXX-XX`. */
  code: string;
  status: InviteStatus;
  createdAt: number;
  expiresAt: number;
  claimedAt: number | null;
  claimedBy: string | null;
}

/** Queue message committed with every claim; its handler calls `completeInviteAdmission`. */
export const inviteAdmissionMessageSchema = z.object({
  kind: z.literal("invite_admission"),
  wallet: walletSchema,
});

const inviteKey = (id: string): Deno.KvKey => ["invites", id];
const codeKey = (code: string): Deno.KvKey => ["invites_by_code", code];
const inviterKey = (wallet: string, id: string): Deno.KvKey => ["invites_by_inviter", wallet, id];
const slotKey = (wallet: string, slot: number): Deno.KvKey => ["invite_slots", wallet, slot];
const claimKey = (id: string): Deno.KvKey => ["invite_claims", id];
const claimantKey = (wallet: string): Deno.KvKey => ["invite_claims_by_claimant", wallet];
const allowanceKey = (wallet: string): Deno.KvKey => ["invite_allowances", wallet];

/** Most extra active codes an admin may grant one member in total. */
export const MAX_EXTRA_INVITES = 100;

const allowanceSchema = z.number().int().min(0).max(MAX_EXTRA_INVITES);

/** Extra active codes an admin granted `wallet` (0 when none). */
export async function extraInviteAllowance(kv: Deno.Kv, wallet: string): Promise<number> {
  const entry = await kv.get(allowanceKey(normalizeWallet(wallet)));
  return entry.versionstamp === null ? 0 : allowanceSchema.parse(entry.value);
}

/** Active codes `wallet` may hold: the default limit plus the granted allowance. */
export async function activeInviteLimit(kv: Deno.Kv, wallet: string): Promise<number> {
  return MAX_ACTIVE_INVITES + await extraInviteAllowance(kv, wallet);
}

/**
 * Gives a member `count` (1–100) more active codes, on top of any earlier grant; returns the new
 * extra allowance. NotFoundError `member_not_found`; BadRequestError `invite_grant_invalid` for a bad
 * count or a total above {@link MAX_EXTRA_INVITES}.
 */
export async function grantExtraInvites(
  kv: Deno.Kv,
  wallet: string,
  count: number,
): Promise<{ extra: number; limit: number }> {
  const member = normalizeWallet(wallet);
  if (!Number.isInteger(count) || count < 1 || count > MAX_EXTRA_INVITES) {
    throw new BadRequestError(
      "invite_grant_invalid",
      `The number of invites must be a whole number from 1 to ${MAX_EXTRA_INVITES}.`,
    );
  }
  if (!(await getMember(kv, member))) {
    throw new NotFoundError("member_not_found", "No such member.");
  }
  return await commitWithRetry(async () => {
    const entry = await kv.get(allowanceKey(member));
    const current = entry.versionstamp === null ? 0 : allowanceSchema.parse(entry.value);
    const extra = current + count;
    if (extra > MAX_EXTRA_INVITES) {
      throw new BadRequestError(
        "invite_grant_invalid",
        `A member can hold at most ${MAX_EXTRA_INVITES} extra invites (has ${current}).`,
      );
    }
    const op = kv.atomic().check(entry).set(allowanceKey(member), extra);
    return { op, value: { extra, limit: MAX_ACTIVE_INVITES + extra } };
  }, contended);
}

/** The state of `invite` at `now`. */
export function inviteStatus(invite: Invite, now: number): InviteStatus {
  if (invite.revokedAt !== null) return "revoked";
  if (invite.claimedAt !== null) return "claimed";
  return now >= invite.expiresAt ? "expired" : "active";
}

function view(invite: Invite, now: number): InviteView {
  return {
    id: invite.id,
    code: formatInviteCode(invite.code),
    status: inviteStatus(invite, now),
    createdAt: invite.createdAt,
    expiresAt: invite.expiresAt,
    claimedAt: invite.claimedAt,
    claimedBy: invite.claimedBy,
  };
}

function contended(): ConflictError {
  return new ConflictError("invite_contended", "The invite is being changed concurrently.");
}

/** The slot that holds invite `id` (any slot number), or null. */
async function findSlot(kv: Deno.Kv, wallet: string, id: string) {
  for await (const entry of kv.list({ prefix: ["invite_slots", wallet] })) {
    if (entry.value === id) return { key: entry.key, versionstamp: entry.versionstamp };
  }
  return null;
}

/** Reads the member's slot keys and the invites they point to. */
async function readSlots(kv: Deno.Kv, wallet: string, maxActive: number) {
  const keys = Array.from({ length: maxActive }, (_, slot) => slotKey(wallet, slot));
  const entries = await kv.getMany<unknown[]>(keys);
  const ids = entries.map((entry) => entry.versionstamp ? idSchema.parse(entry.value) : null);
  const invites = new Map<string, Invite>();
  const present = ids.filter((id): id is string => id !== null);
  if (present.length) {
    for (const entry of await kv.getMany<unknown[]>(present.map(inviteKey))) {
      if (entry.versionstamp) {
        const invite = inviteSchema.parse(entry.value);
        invites.set(invite.id, invite);
      }
    }
  }
  return entries.map((entry, slot) => ({
    slot,
    versionstamp: entry.versionstamp,
    invite: ids[slot] ? invites.get(ids[slot]!) ?? null : null,
    id: ids[slot],
  }));
}

/** Options of `createInvite`. */
export interface CreateInviteOptions {
  /** Lifetime of the code (default 30 days). */
  ttlMs?: number;
  /** Active codes allowed per member before any granted allowance (default 3). */
  maxActive?: number;
}

/**
 * Creates a code for an admitted member. ForbiddenError `membership_required` when not admitted;
 * ConflictError `invite_limit_reached` when `maxActive` plus the member's granted allowance codes
 * are already active.
 */
export async function createInvite(
  kv: Deno.Kv,
  clock: Clock,
  inviterWallet: string,
  options: CreateInviteOptions = {},
): Promise<InviteView> {
  const inviter = normalizeWallet(inviterWallet);
  const ttlMs = options.ttlMs ?? INVITE_TTL_MS;
  const [member, extra] = await Promise.all([
    getMember(kv, inviter),
    extraInviteAllowance(kv, inviter),
  ]);
  const maxActive = (options.maxActive ?? MAX_ACTIVE_INVITES) + extra;
  if (!member?.membership.admitted) {
    throw new ForbiddenError("membership_required", "Only members of the vault can invite.");
  }
  return await commitWithRetry(async () => {
    const now = clock.now();
    const slots = await readSlots(kv, inviter, maxActive);
    // A slot is free when empty or when the code in it is no longer active (claimed, revoked, expired).
    const free = slots.find((s) => !s.invite || inviteStatus(s.invite, now) !== "active");
    if (!free) {
      throw new ConflictError(
        "invite_limit_reached",
        `You already have ${maxActive} active invite codes.`,
      );
    }
    const code = generateInviteCode();
    const invite: Invite = {
      id: ulid(clock),
      code,
      inviter,
      createdAt: now,
      expiresAt: now + ttlMs,
      revokedAt: null,
      claimedAt: null,
      claimedBy: null,
      claimId: null,
    };
    const op = kv.atomic()
      .check({ key: slotKey(inviter, free.slot), versionstamp: free.versionstamp })
      .check({ key: codeKey(code), versionstamp: null })
      .set(inviteKey(invite.id), invite)
      .set(codeKey(code), invite.id)
      .set(inviterKey(inviter, invite.id), invite.id)
      .set(slotKey(inviter, free.slot), invite.id);
    return { op, value: view(invite, now) };
  }, contended);
}

/** The member's codes, newest first, with their status at the clock's now. */
export async function listInvites(
  kv: Deno.Kv,
  wallet: string,
  clock: Clock = systemClock,
): Promise<InviteView[]> {
  const inviter = normalizeWallet(wallet);
  const ids: string[] = [];
  for await (
    const entry of kv.list({ prefix: ["invites_by_inviter", inviter] }, { reverse: true })
  ) {
    ids.push(idSchema.parse(entry.value));
  }
  const now = clock.now();
  const views: InviteView[] = [];
  for (const entry of await getMany(kv, ids.map(inviteKey))) {
    if (entry.versionstamp) views.push(view(inviteSchema.parse(entry.value), now));
  }
  return views;
}

/** Finds a code's invite with its versionstamp; NotFoundError `invite_not_found`. */
async function readInviteByCode(kv: Deno.Kv, code: string) {
  const index = await kv.get(codeKey(code));
  if (!index.versionstamp) throw new NotFoundError("invite_not_found", "No such invite code.");
  const entry = await kv.get(inviteKey(idSchema.parse(index.value)));
  if (!entry.versionstamp) throw new NotFoundError("invite_not_found", "No such invite code.");
  return { invite: inviteSchema.parse(entry.value), versionstamp: entry.versionstamp };
}

/**
 * Revokes one of the caller's own codes (NotFoundError `invite_not_found` for anyone else's);
 * ConflictError `invite_already_claimed` once used; revoking twice is a no-op.
 */
export async function revokeInvite(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  code: string,
): Promise<InviteView> {
  const owner = normalizeWallet(wallet);
  const canonical = normalizeInviteCode(code);
  return await commitWithRetry(async () => {
    const now = clock.now();
    const { invite, versionstamp } = await readInviteByCode(kv, canonical);
    if (invite.inviter !== owner) {
      throw new NotFoundError("invite_not_found", "No such invite code.");
    }
    if (invite.claimedAt !== null) {
      throw new ConflictError("invite_already_claimed", "This invite has already been used.");
    }
    if (invite.revokedAt !== null) return { value: view(invite, now) };
    const revoked: Invite = { ...invite, revokedAt: now };
    const op = kv.atomic()
      .check({ key: inviteKey(invite.id), versionstamp })
      .set(inviteKey(invite.id), revoked);
    const slot = await findSlot(kv, owner, invite.id);
    if (slot) op.check(slot).delete(slot.key);
    return { op, value: view(revoked, now) };
  }, contended);
}

/** Input of `redeemInvite`. */
export interface RedeemInviteInput {
  /** The code as the member typed or scanned it (any case, dashes, spaces). */
  code: string;
  claimantWallet: string;
  /** `hashIp(clientIp, serverSalt)`; a raw IP is rejected. */
  ipHash: string;
}

/** Result of a successful redemption. */
export interface Redemption {
  invite: InviteView;
  claim: InviteClaim;
  member: Member;
  /** True when the member record changed (the HTTP layer rotates the session). */
  admitted: boolean;
}

/**
 * Redeems a code for a World ID–verified member who is not yet admitted. Errors, in order:
 * BadRequestError `invite_code_malformed`; ForbiddenError `worldid_required`; NotFoundError
 * `invite_not_found`; GoneError `invite_revoked` / `invite_expired`; ConflictError
 * `invite_already_claimed` (exactly one of N concurrent redemptions wins), `already_admitted`.
 * The claim, the code's state, the inviter's freed slot, the inviter's event and a queue message are
 * one atomic commit; admission follows and is idempotent (a retry, or the queued message handled by
 * `completeInviteAdmission`, finishes it if the process died in between).
 */
export async function redeemInvite(
  kv: Deno.Kv,
  clock: Clock,
  input: RedeemInviteInput,
): Promise<Redemption> {
  const code = normalizeInviteCode(input.code);
  const claimant = normalizeWallet(input.claimantWallet);
  const ipHash = z.string().regex(IP_HASH_PATTERN).parse(input.ipHash);
  const committed = await commitWithRetry(async () => {
    const member = await getMember(kv, claimant);
    if (!member?.worldId) {
      throw new ForbiddenError("worldid_required", "Verify with World ID before redeeming.");
    }
    const { invite, versionstamp } = await readInviteByCode(kv, code);
    const now = clock.now();
    if (invite.revokedAt !== null) {
      throw new GoneError("invite_revoked", "This invite was revoked.");
    }
    if (invite.claimedAt !== null) {
      if (invite.claimedBy === claimant && invite.claimId) {
        return { value: { invite, claimId: invite.claimId, now } };
      }
      throw new ConflictError("invite_already_claimed", "This invite has already been used.");
    }
    if (now >= invite.expiresAt) throw new GoneError("invite_expired", "This invite has expired.");
    const previous = await kv.get(claimantKey(claimant));
    if (previous.versionstamp && !member.membership.admitted) {
      await completeInviteAdmission(kv, clock, claimant); // an earlier claim whose grant was cut off
    }
    if (previous.versionstamp || member.membership.admitted) {
      throw new ConflictError("already_admitted", "You are already a member of the vault.");
    }
    const claim: InviteClaim = {
      id: ulid(clock),
      inviteId: invite.id,
      inviter: invite.inviter,
      claimant,
      claimedAt: now,
      ipHash,
    };
    const claimed: Invite = { ...invite, claimedAt: now, claimedBy: claimant, claimId: claim.id };
    const op = kv.atomic()
      .check({ key: inviteKey(invite.id), versionstamp })
      .check({ key: claimantKey(claimant), versionstamp: null })
      .set(inviteKey(invite.id), claimed)
      .set(claimKey(claim.id), claim)
      .set(claimantKey(claimant), claim.id)
      .enqueue({ kind: "invite_admission", wallet: claimant }, { delay: 60_000 });
    const slot = await findSlot(kv, invite.inviter, invite.id);
    if (slot) op.check(slot).delete(slot.key);
    addMemberEvent(op, now, invite.inviter, { type: "invite_claimed", inviteId: invite.id });
    return { op, value: { invite: claimed, claimId: claim.id, now } };
  }, contended);
  return await finishRedemption(kv, clock, committed.invite, committed.claimId, committed.now);
}

/** Admits the claimant of a committed claim (idempotent) and assembles the result. */
async function finishRedemption(
  kv: Deno.Kv,
  clock: Clock,
  invite: Invite,
  claimId: string,
  now: number,
): Promise<Redemption> {
  const entry = await kv.get(claimKey(claimId));
  if (!entry.versionstamp) throw new NotFoundError("invite_claim_not_found", "Claim missing.");
  const claim = claimSchema.parse(entry.value);
  const granted = await grantMembership(kv, clock, claim.claimant, {
    via: "invite",
    inviteId: invite.id,
  });
  return { invite: view(invite, now), claim, member: granted.member, admitted: granted.changed };
}

/**
 * Finishes an admission whose claim committed but whose membership grant did not (crash between the
 * two): call it from the queue handler for `inviteAdmissionMessageSchema` and on sign-in. Returns the
 * member, or null when `wallet` has no claim.
 */
export async function completeInviteAdmission(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
): Promise<Member | null> {
  const claimant = normalizeWallet(wallet);
  const index = await kv.get(claimantKey(claimant));
  if (!index.versionstamp) return null;
  const entry = await kv.get(claimKey(idSchema.parse(index.value)));
  if (!entry.versionstamp) return null;
  const claim = claimSchema.parse(entry.value);
  const granted = await grantMembership(kv, clock, claimant, {
    via: "invite",
    inviteId: claim.inviteId,
  });
  return granted.member;
}

/** The claim a member made, if any (for admin review; holds the IP hash, never the IP). */
export async function getClaimByClaimant(
  kv: Deno.Kv,
  wallet: string,
): Promise<InviteClaim | null> {
  const index = await kv.get(claimantKey(normalizeWallet(wallet)));
  if (!index.versionstamp) return null;
  const entry = await kv.get(claimKey(idSchema.parse(index.value)));
  return entry.versionstamp ? claimSchema.parse(entry.value) : null;
}

/**
 * Checks that the member may try to redeem at all, before any rate limit is spent on them:
 * ForbiddenError `worldid_required` when they have not verified with World ID.
 */
export async function assertMayRedeem(kv: Deno.Kv, claimantWallet: string): Promise<void> {
  const member = await getMember(kv, normalizeWallet(claimantWallet));
  if (!member?.worldId) {
    throw new ForbiddenError("worldid_required", "Verify with World ID before redeeming.");
  }
}

/**
 * Applies the per-member, then the per-IP redemption limits (TooManyRequestsError `rate_limited`).
 * The member's own limit comes first, so attempts it refuses never spend the budget shared by
 * everyone behind the same IP; call {@link assertMayRedeem} before this.
 */
export async function enforceRedemptionLimits(
  cache: Cache,
  subject: { ipHash: string; claimantWallet: string },
): Promise<void> {
  await enforceRateLimit(
    cache,
    INVITE_RATE_LIMITS.redeemByWallet,
    normalizeWallet(subject.claimantWallet),
  );
  await enforceRateLimit(cache, INVITE_RATE_LIMITS.redeemByIp, subject.ipHash);
}
