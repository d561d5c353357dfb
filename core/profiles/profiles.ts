/**
 * Profiles: one per member, keyed by a ULID (never the wallet), with the unique index
 * `["profiles_by_wallet", wallet] → id`. Record and index change together in one atomic commit;
 * read-modify-write checks the versionstamp it read. Reads go to KV every time, never to the cache:
 * `hidden`, the wallet (block checks) and the photo list decide who may see what, and a copy in a
 * shared cache cannot be invalidated reliably while that cache is away (see core/cache/README.md).
 *
 * The profile's `hidden` field is the one source of truth for hiding. The signals module reads
 * the marker `["hidden_members", wallet]`, which only this module writes, in the same commit as
 * the record, so the two never disagree.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "@/core/errors.ts";
import { type CommitRetryOptions, commitWithRetry } from "@/core/kv.ts";
import { getMember, normalizeWallet } from "@/core/members.ts";
import { hiddenKey } from "@/core/social/mod.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { profilePhotosPrefix, renditionKeys } from "./photo_keys.ts";
import type { PhotoRecordHooks } from "./photo_records.ts";
import {
  createProfileInputSchema,
  parseInput,
  type Profile,
  profileDetailsInputSchema,
  profileRecordSchema,
  updateProfileInputSchema,
} from "./schema.ts";
import { ulid } from "@/core/ulid.ts";

import {
  type FullProfileView,
  type OwnerProfileView,
  type PublicProfileView,
  type RelationCheck,
  viewFor,
} from "./views.ts";

export { type Profile } from "./schema.ts";
export {
  type Badges,
  badgesFor,
  fullView,
  isProfileComplete,
  lastUpdatedAt,
  needsDetails,
  ownerView,
  publicView,
  type RelationCheck,
  viewFor,
} from "./views.ts";

/** What profile functions need: KV and the clock. */
export interface ProfileDeps {
  kv: Deno.Kv;
  clock: Clock;
}

const RETRY: CommitRetryOptions = { attempts: 5, pause: null };

/** KV key of a profile record. */
export const profileKey = (id: string): Deno.KvKey => ["profiles", id];
/** KV key of the wallet → profile id index. */
export const profileByWalletKey = (wallet: string): Deno.KvKey => ["profiles_by_wallet", wallet];

/** Sets or clears the hidden marker of `profile` in `op` (the commit that writes the record). */
function syncHiddenMarker(op: Deno.AtomicOperation, profile: Profile): Deno.AtomicOperation {
  return profile.hidden
    ? op.set(hiddenKey(profile.wallet), { hiddenAt: profile.updatedAt })
    : op.delete(hiddenKey(profile.wallet));
}

/** Reads a profile record and its versionstamp straight from KV. */
export async function readProfile(kv: Deno.Kv, id: string) {
  const entry = await kv.get(profileKey(id));
  if (entry.versionstamp === null) return { profile: null, versionstamp: null };
  return { profile: profileRecordSchema.parse(entry.value), versionstamp: entry.versionstamp };
}

/**
 * Returns the profile `id`, or null: a strongly consistent KV read, so a change (hiding, a photo
 * deleted) is seen by every instance at once, whatever state the shared cache is in.
 */
export async function getProfile(deps: ProfileDeps, id: string): Promise<Profile | null> {
  return (await readProfile(deps.kv, id)).profile;
}

/** Returns the id of the profile of `wallet`, or null. */
export async function profileIdOf(kv: Deno.Kv, wallet: string): Promise<string | null> {
  const entry = await kv.get<string>(profileByWalletKey(normalizeWallet(wallet)));
  return entry.versionstamp === null ? null : String(entry.value);
}

/** Returns the profile of `wallet`, or null. */
export async function getProfileByWallet(
  deps: ProfileDeps,
  wallet: string,
): Promise<Profile | null> {
  const id = await profileIdOf(deps.kv, wallet);
  return id ? await getProfile(deps, id) : null;
}

/**
 * Creates the profile of `wallet` (an admitted member). Throws InvalidProfileError
 * (`invalid_profile`), ForbiddenError(`membership_required`), ConflictError(`profile_exists`).
 */
export async function createProfile(
  deps: ProfileDeps,
  wallet: string,
  input: unknown,
): Promise<Profile> {
  const owner = normalizeWallet(wallet);
  const now = deps.clock.now();
  const fields = parseInput(createProfileInputSchema(now), input);
  const member = await getMember(deps.kv, owner);
  if (!member?.membership.admitted) {
    throw new ForbiddenError("membership_required", "Only members of the vault have profiles.");
  }
  const profile: Profile = profileRecordSchema.parse({
    v: 1,
    id: ulid(deps.clock),
    wallet: owner,
    ...fields,
    photos: [],
    createdAt: now,
    updatedAt: now,
  });
  const result = await syncHiddenMarker(
    deps.kv.atomic()
      .check({ key: profileByWalletKey(owner), versionstamp: null })
      .check({ key: profileKey(profile.id), versionstamp: null })
      .set(profileKey(profile.id), profile)
      .set(profileByWalletKey(owner), profile.id),
    profile,
  ).commit();
  if (!result.ok) throw new ConflictError("profile_exists", "This member already has a profile.");
  return profile;
}

/**
 * Adds another domain's records to the commit that changes a profile (read afresh on every attempt,
 * so what it reads can be checked in that commit).
 */
export type CommitExtension = (
  op: Deno.AtomicOperation,
  change: { before: Profile; after: Profile | null },
) => void | Promise<void>;

/**
 * Applies `change` to profile `id` owned by `wallet`, with a versionstamp check and retries;
 * `extend` adds other records to the same commit. NotFoundError(`profile_not_found`),
 * ForbiddenError(`profile_not_owner`); `change` may throw.
 */
export async function changeOwnProfile(
  deps: ProfileDeps,
  id: string,
  wallet: string,
  change: (profile: Profile, now: number) => Profile,
  extend?: CommitExtension,
): Promise<Profile> {
  const owner = normalizeWallet(wallet);
  const next = await commitWithRetry(
    async () => {
      const current = await readProfile(deps.kv, id);
      if (!current.profile) throw new NotFoundError("profile_not_found", "No such profile.");
      if (current.profile.wallet !== owner) {
        throw new ForbiddenError("profile_not_owner", "You can only change your own profile.");
      }
      const now = deps.clock.now();
      const next = profileRecordSchema.parse({ ...change(current.profile, now), updatedAt: now });
      const op = deps.kv.atomic()
        .check({ key: profileKey(id), versionstamp: current.versionstamp })
        .set(profileKey(id), next);
      if (next.hidden !== current.profile.hidden) syncHiddenMarker(op, next);
      await extend?.(op, { before: current.profile, after: next });
      return { op, value: next };
    },
    () => new ConflictError("profile_contended", "The profile is being changed concurrently."),
    RETRY,
  );
  return next;
}

/** Updates fields of the caller's own profile (a partial input). Errors as {@link changeOwnProfile}. */
export async function updateProfile(
  deps: ProfileDeps,
  { profileId, wallet, input }: { profileId: string; wallet: string; input: unknown },
): Promise<Profile> {
  const fields = parseInput(updateProfileInputSchema(deps.clock.now()), input);
  const defined = Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  );
  return await changeOwnProfile(deps, profileId, wallet, (profile) => ({ ...profile, ...defined }));
}

/**
 * Gives the details discovery needs (gender, who they want to meet, city, region) to the caller's
 * own profile, all at once: the step a profile made before they were asked goes through.
 * InvalidProfileError (`invalid_profile`) naming the first missing or bad field; otherwise errors
 * as {@link changeOwnProfile}.
 */
export async function giveProfileDetails(
  deps: ProfileDeps,
  { profileId, wallet, input }: { profileId: string; wallet: string; input: unknown },
): Promise<Profile> {
  const details = parseInput(profileDetailsInputSchema, input);
  return await changeOwnProfile(deps, profileId, wallet, (profile) => ({ ...profile, ...details }));
}

/**
 * Deletes the caller's own profile: the record and index go first (atomically, with the records
 * other domains keep beside its photos when `photoRecords` is given), then every stored photo
 * rendition. `pendingCleanup` is true when the store failed and `sweepOrphanPhotos` will finish.
 */
export async function deleteProfile(
  deps: ProfileDeps & { objects: ObjectStore; photoRecords?: PhotoRecordHooks },
  { profileId, wallet }: { profileId: string; wallet: string },
): Promise<{ pendingCleanup: boolean }> {
  const owner = normalizeWallet(wallet);
  const deleted = await commitWithRetry(
    async () => {
      const current = await readProfile(deps.kv, profileId);
      if (!current.profile) throw new NotFoundError("profile_not_found", "No such profile.");
      if (current.profile.wallet !== owner) {
        throw new ForbiddenError("profile_not_owner", "You can only delete your own profile.");
      }
      const op = deps.kv.atomic()
        .check({ key: profileKey(profileId), versionstamp: current.versionstamp })
        .delete(profileKey(profileId))
        .delete(profileByWalletKey(owner))
        .delete(hiddenKey(owner));
      await deps.photoRecords?.onRemove(op, { before: current.profile, after: null });
      return { op, value: current.profile };
    },
    () => new ConflictError("profile_contended", "The profile is being changed."),
    RETRY,
  );
  await deps.photoRecords?.afterRemove({
    profileId,
    photoIds: deleted.photos.map((photo) => photo.id),
    wholeProfile: true,
  });
  try {
    const known = deleted.photos.flatMap((photo) => renditionKeys(profileId, photo.id));
    await deps.objects.deleteMany(known);
    await deleteUnder(deps.objects, profilePhotosPrefix(profileId));
    return { pendingCleanup: false };
  } catch {
    return { pendingCleanup: true };
  }
}

/** Deletes every object whose key starts with `prefix`. */
export async function deleteUnder(objects: ObjectStore, prefix: string): Promise<void> {
  let cursor: string | undefined;
  do {
    const page = await objects.list(prefix, { limit: 1000, cursor });
    if (page.values.length) await objects.deleteMany(page.values.map((info) => info.key));
    cursor = page.cursor || undefined;
  } while (cursor);
}

/**
 * Loads profile `profileId` as `viewer` may see it: the owner's view, the full view after a
 * match, else the public view. NotFoundError(`profile_not_found`) when absent, blocked either way,
 * or hidden from a non-matched viewer.
 */
export async function loadProfileView(
  deps: ProfileDeps & { isMatched: RelationCheck; isBlocked: RelationCheck },
  { profileId, viewer }: { profileId: string; viewer: string },
): Promise<PublicProfileView | FullProfileView | OwnerProfileView> {
  const who = normalizeWallet(viewer);
  const profile = await getProfile(deps, profileId);
  if (!profile) throw new NotFoundError("profile_not_found", "No such profile.");
  const now = deps.clock.now();
  const member = await getMember(deps.kv, profile.wallet);
  if (profile.wallet === who) return viewFor(profile, { viewer: who, matched: false, now, member });
  if (await deps.isBlocked(who, profile.wallet)) {
    throw new NotFoundError("profile_not_found", "No such profile.");
  }
  const matched = await deps.isMatched(who, profile.wallet);
  if (profile.hidden && !matched) throw new NotFoundError("profile_not_found", "No such profile.");
  return viewFor(profile, { viewer: who, matched, now, member });
}
