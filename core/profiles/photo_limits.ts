/**
 * Limits on photo uploads per member, applied around {@link addPhoto}: one upload at a time (a
 * lease in KV, so it holds across instances) and an hourly budget of attempts (the shared rate
 * limiter), charged before any decoding so refused and failed uploads count too.
 */
import { z } from "zod";
import type { Cache } from "@/core/cache/types.ts";
import { enforceRateLimit, type RateLimitRule } from "@/core/cache/rate_limit.ts";
import type { Clock } from "@/core/clock.ts";
import { TooManyRequestsError } from "@/core/errors.ts";
import { waitInWords } from "@/core/wait_words.ts";
import { normalizeWallet } from "@/core/members.ts";

/** Upload attempts a member may make per hour, successful or not. */
export const PHOTO_UPLOAD_BUDGET: RateLimitRule = {
  name: "photo_upload_member",
  limit: 30,
  windowSeconds: 3600,
};

/** How long an upload lease lives if its holder never releases it (e.g. the process died). */
export const PHOTO_UPLOAD_LEASE_MS = 2 * 60 * 1000;

/** Dependencies of {@link withPhotoUploadSlot}. */
export interface PhotoLimitDeps {
  kv: Deno.Kv;
  clock: Clock;
  cache: Cache;
}

const leaseSchema = z.object({ token: z.string(), until: z.number() });
const leaseKey = (wallet: string): Deno.KvKey => ["photo_upload_leases", wallet];

const inProgress = () =>
  new TooManyRequestsError(
    "photo_upload_in_progress",
    "Another photo upload is still being processed. Try again when it has finished.",
    2,
  );

/** Takes the member's upload lease, or throws TooManyRequestsError(`photo_upload_in_progress`). */
async function claimLease(deps: PhotoLimitDeps, wallet: string): Promise<() => Promise<void>> {
  const key = leaseKey(wallet);
  const token = crypto.randomUUID();
  for (let attempt = 0; attempt < 3; attempt++) {
    const now = deps.clock.now();
    const current = await deps.kv.get(key);
    const lease = leaseSchema.safeParse(current.value);
    if (current.value !== null && lease.success && lease.data.until > now) throw inProgress();
    const committed = await deps.kv.atomic()
      .check(current)
      .set(key, { token, until: now + PHOTO_UPLOAD_LEASE_MS }, { expireIn: PHOTO_UPLOAD_LEASE_MS })
      .commit();
    if (committed.ok) {
      return async () => {
        try {
          const held = await deps.kv.get(key);
          if (leaseSchema.safeParse(held.value).data?.token !== token) return;
          await deps.kv.atomic().check(held).delete(key).commit();
        } catch {
          // The lease expires on its own.
        }
      };
    }
  }
  throw inProgress();
}

/** Counts one attempt against the member's hourly budget (TooManyRequestsError `photo_upload_budget`). */
async function chargeBudget(cache: Cache, wallet: string): Promise<void> {
  try {
    await enforceRateLimit(cache, PHOTO_UPLOAD_BUDGET, wallet);
  } catch (error) {
    if (!(error instanceof TooManyRequestsError)) throw error;
    throw new TooManyRequestsError(
      "photo_upload_budget",
      `You have tried to upload ${PHOTO_UPLOAD_BUDGET.limit} photos within an hour. ` +
        `Try again in ${waitInWords(error.retryAfterSeconds)}.`,
      error.retryAfterSeconds,
    );
  }
}

/**
 * Runs `upload` while holding the member's only upload slot, after charging one attempt to their
 * hourly budget. The slot is released however `upload` ends.
 */
export async function withPhotoUploadSlot<T>(
  deps: PhotoLimitDeps,
  wallet: string,
  upload: () => Promise<T>,
): Promise<T> {
  const member = normalizeWallet(wallet);
  const release = await claimLease(deps, member);
  try {
    await chargeBudget(deps.cache, member);
    return await upload();
  } finally {
    await release();
  }
}
