/**
 * Account deletion as a resumable job. `requestAccountDeletion` records the request and enqueues the
 * job in one commit (`["account_deletions", wallet]`); `runAccountDeletion` then works through the
 * domains, each step idempotent and each commit leaving whole records, and removes the member record
 * in its last commit together with the request. A run that fails half-way is finished by the next
 * (the queue redelivers the message; the caller may also run it at once).
 */
import { z } from "zod";
import { deleteWalletSessions } from "@/core/auth/mod.ts";
import type { Clock } from "@/core/clock.ts";
import { ConflictError, NotFoundError } from "@/core/errors.ts";
import { anonymiseTicketHolder } from "@/core/events/mod.ts";
import type { VectorStore } from "@/core/discovery/mod.ts";
import {
  getMember,
  normalizeWallet,
  removeMember,
  setSuspension,
  walletSchema,
} from "@/core/members.ts";
import {
  deleteProfile,
  deleteUnder,
  type PhotoRecordHooks,
  profileIdOf,
  profilePhotosPrefix,
  readProfile,
} from "@/core/profiles/mod.ts";
import { eraseSocialData } from "@/core/social/mod.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";
import { deleteAllMemberObjects } from "@/core/storage/member_objects.ts";
import { departedHolderMarker, departedNullifierSecret } from "./holders.ts";
import { analysisKeys, scoreKeys } from "./scores.ts";

/** The words a member types to confirm deletion. */
export const DELETE_CONFIRMATION = "delete my account";

/** The body of a deletion request: the typed confirmation, exactly. */
export const deleteConfirmationSchema = z.object({
  confirm: z.literal(DELETE_CONFIRMATION, `Type “${DELETE_CONFIRMATION}” to confirm.`),
});

/** Queue message of the deletion job. */
export const accountDeletionMessageSchema = z.object({
  kind: z.literal("account_deletion"),
  wallet: walletSchema,
});

/** Redelivery of a failed deletion job: 1 s, 10 s, 1 min, 10 min, 1 h. */
const QUEUE_BACKOFF_MS = [1_000, 10_000, 60_000, 600_000, 3_600_000];

const requestSchema = z.object({
  requestedAt: z.number().int(),
  profileId: z.string().nullable(),
  photoIds: z.array(z.string()),
});

const requestKey = (wallet: string): Deno.KvKey => ["account_deletions", wallet];

/** What deletion needs. */
export interface DeletionDeps {
  kv: Deno.Kv;
  clock: Clock;
  objects: ObjectStore;
  vectors: Pick<VectorStore, "deleteProfile">;
  /** What removing photos also removes (analyses, scores, leaderboard, vectors), as for uploads. */
  photoRecords: PhotoRecordHooks;
  appSecret: string;
}

/** What a deletion did (or, dry, would do). */
export interface DeletionReport {
  wallet: string;
  profileId: string | null;
  photos: number;
  finished: boolean;
}

/**
 * Records the deletion request of `wallet` and enqueues its job (delivered after `jobDelayMs`, so an
 * immediate run by the caller normally finishes first). Requesting twice keeps the first request.
 * NotFoundError `member_not_found`.
 */
export async function requestAccountDeletion(
  deps: Pick<DeletionDeps, "kv" | "clock">,
  wallet: string,
  options: { jobDelayMs?: number } = {},
): Promise<{ profileId: string | null; photoIds: string[] }> {
  const who = normalizeWallet(wallet);
  if (!await getMember(deps.kv, who)) {
    throw new NotFoundError("member_not_found", "No such member.");
  }
  const profileId = await profileIdOf(deps.kv, who);
  const { profile } = profileId ? await readProfile(deps.kv, profileId) : { profile: null };
  const request = {
    requestedAt: deps.clock.now(),
    profileId,
    photoIds: profile?.photos.map((photo) => photo.id) ?? [],
  };
  const message = accountDeletionMessageSchema.parse({ kind: "account_deletion", wallet: who });
  await deps.kv.atomic()
    .check({ key: requestKey(who), versionstamp: null })
    .set(requestKey(who), request)
    .enqueue(message, { delay: options.jobDelayMs ?? 60_000, backoffSchedule: QUEUE_BACKOFF_MS })
    .commit();
  const stored = requestSchema.parse((await deps.kv.get(requestKey(who))).value ?? request);
  return { profileId: stored.profileId, photoIds: stored.photoIds };
}

/** True while a deletion of `wallet` is requested and not finished. */
export async function isDeletionPending(kv: Deno.Kv, wallet: string): Promise<boolean> {
  return (await kv.get(requestKey(normalizeWallet(wallet)))).versionstamp !== null;
}

async function deleteKeys(kv: Deno.Kv, keys: Deno.KvKey[]): Promise<void> {
  for (let i = 0; i < keys.length; i += 500) {
    const op = kv.atomic();
    for (const key of keys.slice(i, i + 500)) op.delete(key);
    await op.commit();
  }
}

async function keysUnder(kv: Deno.Kv, prefixes: Deno.KvKey[]): Promise<Deno.KvKey[]> {
  const keys: Deno.KvKey[] = [];
  for (const prefix of prefixes) {
    for await (const entry of kv.list({ prefix })) keys.push(entry.key);
  }
  return keys;
}

/**
 * Runs (or resumes) the requested deletion of `wallet`; without a pending request it does nothing
 * (`finished: true`, as the job may be delivered after an earlier run finished). Throws when a
 * backend fails — run it again.
 */
export async function runAccountDeletion(
  deps: DeletionDeps,
  wallet: string,
): Promise<DeletionReport> {
  const { kv, clock } = deps;
  const who = normalizeWallet(wallet);
  const entry = await kv.get(requestKey(who));
  if (entry.versionstamp === null) {
    return { wallet: who, profileId: null, photos: 0, finished: true };
  }
  const request = requestSchema.parse(entry.value);

  // Signed out and refused everywhere while the job runs, so nothing new is written meanwhile.
  try {
    await setSuspension(kv, clock, who, "This account is being deleted.");
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
  }
  await deleteWalletSessions(kv, who);

  await eraseSocialData(kv, clock, who);
  await anonymiseTicketHolder(kv, who, departedHolderMarker(deps.appSecret, who));

  const profileId = request.profileId ?? await profileIdOf(kv, who);
  const photoIds = new Set(request.photoIds);
  if (profileId) {
    const { profile } = await readProfile(kv, profileId);
    for (const photo of profile?.photos ?? []) photoIds.add(photo.id);
    // The profile first: its photo hooks keep the score histogram and the leaderboard right.
    if (profile?.wallet === who) {
      await deleteProfile({ ...deps, kv, clock }, { profileId, wallet: who });
    }
    await deps.vectors.deleteProfile(profileId);
    await deleteKeys(kv, [...analysisKeys([...photoIds]), ["style_settings", profileId]]);
    await deleteUnder(deps.objects, profilePhotosPrefix(profileId));
  }
  const scores = scoreKeys(profileId, [...photoIds]);
  await deleteKeys(kv, [...scores.keys, ...await keysUnder(kv, scores.prefixes)]);
  await kv.delete(["photo_upload_leases", who]);
  await deleteAllMemberObjects(deps, who);
  await deleteWalletSessions(kv, who);

  await removeMember(kv, clock, who, {
    secret: departedNullifierSecret(deps.appSecret),
    extend: (op) => op.check(entry).delete(requestKey(who)),
  }).catch((error) => {
    if (error instanceof ConflictError) {
      throw new ConflictError("account_deletion_contended", "Deletion will be retried.");
    }
    throw error;
  });
  return { wallet: who, profileId, photos: photoIds.size, finished: true };
}

/** What deleting `wallet` would remove, without changing anything. NotFoundError `member_not_found`. */
export async function planAccountDeletion(
  kv: Deno.Kv,
  wallet: string,
): Promise<DeletionReport> {
  const who = normalizeWallet(wallet);
  if (!await getMember(kv, who)) throw new NotFoundError("member_not_found", "No such member.");
  const profileId = await profileIdOf(kv, who);
  const { profile } = profileId ? await readProfile(kv, profileId) : { profile: null };
  return { wallet: who, profileId, photos: profile?.photos.length ?? 0, finished: false };
}

/**
 * Deletes `wallet`'s account now: records the request (the queued job is the fallback) and runs it.
 * NotFoundError `member_not_found`.
 */
export async function deleteAccount(
  deps: DeletionDeps,
  wallet: string,
): Promise<DeletionReport> {
  await requestAccountDeletion(deps, wallet);
  return await runAccountDeletion(deps, wallet);
}
