/**
 * Members: one record per wallet (lowercased address). A World ID nullifier, once bound, belongs to
 * exactly one wallet (enforced with an atomic check on its index key). Membership says whether the
 * member is admitted to the vault and how: by holding the gate NFT or by redeeming an invite.
 */
import { z } from "zod";
import type { Clock } from "./clock.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "./errors.ts";
import { type CommitRetryOptions, commitWithRetry } from "./kv.ts";

const WALLET_ADDRESS = /^0x[0-9a-fA-F]{40}$/;

/** A lowercased wallet address, as stored (the member key and every record that names a member). */
export const walletSchema = z.string().regex(/^0x[0-9a-f]{40}$/);

/** A wallet address in any case, as accepted input (`message` replaces zod's default one). */
export function walletAddressSchema(message?: string): z.ZodString {
  return z.string().regex(WALLET_ADDRESS, message);
}

/** World ID verification levels, strongest first. */
export const VERIFICATION_LEVELS = ["orb", "secure_document", "document", "device"] as const;
/** A World ID verification level. */
export type VerificationLevel = (typeof VERIFICATION_LEVELS)[number];

const membershipSchema = z.object({
  admitted: z.boolean(),
  via: z.enum(["gate_nft", "invite"]).nullable(),
  admittedAt: z.number().int().nullable(),
  inviteId: z.string().nullable(),
});

const memberSchema = z.object({
  wallet: walletSchema,
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
  worldId: z.object({
    nullifierHash: z.string().regex(/^0x[0-9a-f]{64}$/),
    verificationLevel: z.enum(VERIFICATION_LEVELS),
    verifiedAt: z.number().int(),
  }).nullable(),
  membership: membershipSchema,
  /** Set while an admin has suspended the member (records written before suspensions lack it). */
  suspension: z.object({ at: z.number().int(), reason: z.string().max(500) }).nullable()
    .default(null),
});

/** A member record. */
export type Member = z.infer<typeof memberSchema>;
/** A member's admission to the vault. */
export type Membership = z.infer<typeof membershipSchema>;
/** An admin's suspension of a member. */
export type Suspension = NonNullable<Member["suspension"]>;
/** How a member was admitted. */
export type AdmissionRoute = NonNullable<Membership["via"]>;

/** Key of the member record of a normalized wallet. */
export const memberKey = (wallet: string): Deno.KvKey => ["members", wallet];
const nullifierKey = (nullifierHash: string): Deno.KvKey => ["members_by_nullifier", nullifierHash];
const departedKey = (hash: string): Deno.KvKey => ["departed_nullifiers", hash];

/** How long a departed member's World ID cannot open a fresh account: 30 days. */
export const NULLIFIER_COOL_OFF_MS = 30 * 24 * 60 * 60 * 1000;

const departedSchema = z.object({ departedAt: z.number().int(), coolOffUntil: z.number().int() });

/** What is kept of a departed member's World ID: when they left and when they may return. */
export type DepartedNullifier = z.infer<typeof departedSchema>;

/** HMAC-SHA-256 (hex) of a normalized nullifier under `secret`: the only form kept after deletion. */
export async function hashDepartedNullifier(
  secret: string,
  nullifierHash: string,
): Promise<string> {
  const key = await crypto.subtle.importKey(
    "raw",
    new TextEncoder().encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign(
    "HMAC",
    key,
    new TextEncoder().encode(normalizeNullifierHash(nullifierHash)),
  );
  return Array.from(new Uint8Array(mac), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** The departure record of a nullifier (by its HMAC), or null. */
export async function getDepartedNullifier(
  kv: Deno.Kv,
  hash: string,
): Promise<DepartedNullifier | null> {
  const entry = await kv.get(departedKey(hash));
  return entry.versionstamp === null ? null : departedSchema.parse(entry.value);
}

function coolingOff(until: number): ForbiddenError {
  const date = new Date(until).toISOString().slice(0, 10);
  return new ForbiddenError(
    "worldid_cooling_off",
    `This World ID belonged to an account deleted recently. It can open a new account from ${date}.`,
  );
}

/**
 * Removes the member record and its nullifier index in one commit, keeping the nullifier only as
 * its HMAC `departedHash` with the cool-off; `extend` adds the caller's own final writes to the same
 * commit. Removing an absent member changes nothing but still commits `extend`.
 */
export async function removeMember(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  options: { secret: string; extend?: (op: Deno.AtomicOperation) => void },
): Promise<{ removed: boolean }> {
  const key = normalizeWallet(wallet);
  return await commitWithRetry<{ removed: boolean }>(
    async () => {
      const current = await readMember(kv, key);
      const op = kv.atomic().check({ key: memberKey(key), versionstamp: current.versionstamp });
      options.extend?.(op);
      if (!current.member) return { op, value: { removed: false } };
      op.delete(memberKey(key));
      const nullifier = current.member.worldId?.nullifierHash;
      if (nullifier) {
        const owner = await kv.get(nullifierKey(nullifier));
        if (owner.value === key) op.check(owner).delete(nullifierKey(nullifier));
        const now = clock.now();
        op.set(departedKey(await hashDepartedNullifier(options.secret, nullifier)), {
          departedAt: now,
          coolOffUntil: now + NULLIFIER_COOL_OFF_MS,
        });
      }
      return { op, value: { removed: true } };
    },
    contended,
    RETRY,
  );
}

/** Validates an EVM address and returns it lowercased (the member key); throws `invalid_wallet`. */
export function normalizeWallet(address: string): string {
  if (!WALLET_ADDRESS.test(address)) {
    throw new BadRequestError("invalid_wallet", "Not a wallet address.");
  }
  return address.toLowerCase();
}

/** Normalizes a nullifier hash (hex or decimal) to `0x` + 64 lowercase hex; throws `worldid_invalid_nullifier`. */
export function normalizeNullifierHash(value: string): string {
  if (!/^(0x[0-9a-fA-F]{1,64}|[0-9]{1,78})$/.test(value)) {
    throw new BadRequestError("worldid_invalid_nullifier", "Not a nullifier hash.");
  }
  const number = BigInt(value);
  if (number >= 1n << 256n) {
    throw new BadRequestError("worldid_invalid_nullifier", "Nullifier hash out of range.");
  }
  return `0x${number.toString(16).padStart(64, "0")}`;
}

/** Member writes retry 5 times, at once, before ConflictError `member_contended`. */
const RETRY: CommitRetryOptions = { attempts: 5, pause: null };

function contended(): ConflictError {
  return new ConflictError("member_contended", "The member record is being changed concurrently.");
}

/** The validated member of an entry read at {@link memberKey} (null when absent), for batched reads. */
export function memberFromEntry(entry: Deno.KvEntryMaybe<unknown>): Member | null {
  return entry.versionstamp === null ? null : memberSchema.parse(entry.value);
}

/** Reads a member with its versionstamp (null versionstamp when absent). */
async function readMember(kv: Deno.Kv, wallet: string) {
  const entry = await kv.get(memberKey(wallet));
  if (entry.versionstamp === null) return { member: null, versionstamp: null };
  return { member: memberSchema.parse(entry.value), versionstamp: entry.versionstamp };
}

/** A new, unverified, not-admitted member. */
function blankMember(wallet: string, now: number): Member {
  return {
    wallet,
    createdAt: now,
    updatedAt: now,
    worldId: null,
    membership: { admitted: false, via: null, admittedAt: null, inviteId: null },
    suspension: null,
  };
}

/** The refusal a suspended member gets when signing in or using a session. */
export function suspendedError(): ForbiddenError {
  return new ForbiddenError(
    "member_suspended",
    "This membership is suspended. Contact the circle's admins if you think this is a mistake.",
  );
}

/** Throws ForbiddenError `member_suspended` when `member` is suspended. */
export function assertNotSuspended(member: Member | null): void {
  if (member?.suspension) throw suspendedError();
}

/** Returns the member for `wallet`, or null. */
export async function getMember(kv: Deno.Kv, wallet: string): Promise<Member | null> {
  return (await readMember(kv, normalizeWallet(wallet))).member;
}

/** Returns the member who owns `nullifierHash`, or null. */
export async function getMemberByNullifier(
  kv: Deno.Kv,
  nullifierHash: string,
): Promise<Member | null> {
  const owner = await kv.get(nullifierKey(normalizeNullifierHash(nullifierHash)));
  if (owner.versionstamp === null) return null;
  return await getMember(kv, walletSchema.parse(owner.value));
}

/** Returns the member for `wallet`, creating a blank record on first sign-in. */
export async function ensureMember(kv: Deno.Kv, clock: Clock, wallet: string): Promise<Member> {
  const key = normalizeWallet(wallet);
  return await commitWithRetry(
    async () => {
      const existing = await readMember(kv, key);
      if (existing.member) return { value: existing.member };
      const member = blankMember(key, clock.now());
      const op = kv.atomic()
        .check({ key: memberKey(key), versionstamp: null })
        .set(memberKey(key), member);
      return { op, value: member };
    },
    contended,
    RETRY,
  );
}

/** Outcome of binding a World ID nullifier to a wallet. */
export interface NullifierBinding {
  member: Member;
  /** `bound` the first time; `already_bound` when this wallet already owned this nullifier. */
  outcome: "bound" | "already_bound";
}

/**
 * Binds a World ID nullifier to `wallet`, atomically: a nullifier owned by another wallet fails with
 * ConflictError(`worldid_nullifier_taken`); a wallet already bound to a different nullifier fails with
 * ConflictError(`worldid_wallet_already_verified`). With `departedSecret`, a nullifier whose account
 * was deleted within {@link NULLIFIER_COOL_OFF_MS} fails with ForbiddenError(`worldid_cooling_off`);
 * after it, binding clears the departure record.
 */
export async function bindNullifier(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  proof: { nullifierHash: string; verificationLevel: VerificationLevel },
  options: { departedSecret?: string } = {},
): Promise<NullifierBinding> {
  const key = normalizeWallet(wallet);
  const nullifierHash = normalizeNullifierHash(proof.nullifierHash);
  const departedHash = options.departedSecret
    ? await hashDepartedNullifier(options.departedSecret, nullifierHash)
    : null;
  return await commitWithRetry<NullifierBinding>(
    async () => {
      const [current, owner, departed] = await Promise.all([
        readMember(kv, key),
        kv.get(nullifierKey(nullifierHash)),
        departedHash ? kv.get(departedKey(departedHash)) : null,
      ]);
      if (departed?.versionstamp && owner.versionstamp === null) {
        const { coolOffUntil } = departedSchema.parse(departed.value);
        if (clock.now() < coolOffUntil) throw coolingOff(coolOffUntil);
      }
      if (owner.versionstamp !== null) {
        if (owner.value !== key) {
          throw new ConflictError(
            "worldid_nullifier_taken",
            "This World ID is already linked to another wallet.",
          );
        }
        if (current.member) return { value: { member: current.member, outcome: "already_bound" } };
      }
      const now = clock.now();
      const base = current.member ?? blankMember(key, now);
      if (base.worldId && base.worldId.nullifierHash !== nullifierHash) {
        throw new ConflictError(
          "worldid_wallet_already_verified",
          "This wallet is already linked to a different World ID.",
        );
      }
      const member: Member = {
        ...base,
        updatedAt: now,
        worldId: { nullifierHash, verificationLevel: proof.verificationLevel, verifiedAt: now },
      };
      const op = kv.atomic()
        .check({ key: memberKey(key), versionstamp: current.versionstamp })
        .check({ key: nullifierKey(nullifierHash), versionstamp: owner.versionstamp })
        .set(memberKey(key), member)
        .set(nullifierKey(nullifierHash), key);
      if (departed?.versionstamp) op.check(departed).delete(departed.key);
      return { op, value: { member, outcome: "bound" } };
    },
    contended,
    RETRY,
  );
}

/** Applies `change` to an existing member with a versionstamp check, retrying on contention. */
async function updateMember(
  kv: Deno.Kv,
  wallet: string,
  change: (member: Member) => Member | null,
): Promise<{ member: Member; changed: boolean }> {
  const key = normalizeWallet(wallet);
  return await commitWithRetry<{ member: Member; changed: boolean }>(
    async () => {
      const current = await readMember(kv, key);
      if (!current.member) throw new NotFoundError("member_not_found", "No such member.");
      const next = change(current.member);
      if (next === null) return { value: { member: current.member, changed: false } };
      const op = kv.atomic()
        .check({ key: memberKey(key), versionstamp: current.versionstamp })
        .set(memberKey(key), next);
      return { op, value: { member: next, changed: true } };
    },
    contended,
    RETRY,
  );
}

/** A grant of vault admission. */
export type AdmissionGrant = { via: "gate_nft" } | { via: "invite"; inviteId: string };

/**
 * Admits a World ID–verified member to the vault (ForbiddenError `worldid_required` otherwise).
 * An invite admission is permanent and replaces a gate admission; a gate grant never replaces an invite.
 * `changed` tells the caller to rotate the session.
 */
export async function grantMembership(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  grant: AdmissionGrant,
): Promise<{ member: Member; changed: boolean }> {
  return await updateMember(kv, wallet, (member) => {
    if (!member.worldId) {
      throw new ForbiddenError(
        "worldid_required",
        "Verify with World ID before entering the vault.",
      );
    }
    const { membership } = member;
    if (membership.admitted && (membership.via === "invite" || grant.via === "gate_nft")) {
      return null;
    }
    const now = clock.now();
    return {
      ...member,
      updatedAt: now,
      membership: {
        admitted: true,
        via: grant.via,
        admittedAt: now,
        inviteId: grant.via === "invite" ? grant.inviteId : null,
      },
    };
  });
}

/** Withdraws an admission that rested on the gate NFT (invite admissions stay). */
export async function revokeGateMembership(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
): Promise<{ member: Member; changed: boolean }> {
  return await updateMember(kv, wallet, (member) => {
    if (member.membership.via !== "gate_nft") return null;
    return {
      ...member,
      updatedAt: clock.now(),
      membership: { admitted: false, via: null, admittedAt: null, inviteId: null },
    };
  });
}

/**
 * Sets (or, with null, lifts) a member's suspension. NotFoundError `member_not_found`. `changed` is
 * false when the member was already in that state (the reason of an existing suspension stays).
 */
export async function setSuspension(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  reason: string | null,
): Promise<{ member: Member; changed: boolean }> {
  return await updateMember(kv, wallet, (member) => {
    if ((reason === null) === (member.suspension === null)) return null;
    const now = clock.now();
    return {
      ...member,
      updatedAt: now,
      suspension: reason === null ? null : { at: now, reason: z.string().max(500).parse(reason) },
    };
  });
}

/** A member record as its owner or an admin may read it: no nullifier, only how and when verified. */
export function memberSummary(member: Member) {
  return {
    wallet: member.wallet,
    createdAt: member.createdAt,
    updatedAt: member.updatedAt,
    worldId: member.worldId
      ? {
        verificationLevel: member.worldId.verificationLevel,
        verifiedAt: member.worldId.verifiedAt,
      }
      : null,
    membership: member.membership,
    suspension: member.suspension,
  };
}
