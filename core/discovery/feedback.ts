/**
 * What discovery remembers about a viewer: their saved filters, the cards they were shown
 * (impressions) and the profiles they passed on. Keys:
 *   ["discovery_filters", wallet]                → { filters, updatedAt }
 *   ["discovery_impressions", wallet, id]        → { at, profileIds }   (one per page view; expires)
 *   ["discovery_exposure", dayKey, profileId]    → KvU64 impressions of the profile that UTC day
 *   ["discovery_passes", wallet, profileId]      → { passedAt }         (expires)
 * A page view is recorded in one atomic commit: its impression record plus one counter sum per card.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { BadRequestError, NotFoundError } from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";
import { ulid, ulidTimePrefix } from "@/core/ulid.ts";
import {
  type DiscoveryFilters,
  fieldIssues,
  filtersSchema,
  getProfile,
  profileIdOf,
  ulidSchema,
} from "@/core/profiles/mod.ts";
import { dayKeyFor, isBlocked } from "@/core/social/mod.ts";

/** What the feedback functions need. */
export interface FeedbackDeps {
  kv: Deno.Kv;
  clock: Clock;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** How long an impression record is kept. */
export const IMPRESSION_TTL_MS = 14 * DAY_MS;
/** How long a passed profile stays out of recommendations (and counts as feedback). */
export const PASS_TTL_MS = 30 * DAY_MS;
/** Days of exposure counters the ranking looks at. */
export const EXPOSURE_WINDOW_DAYS = 7;

const filtersKey = (wallet: string): Deno.KvKey => ["discovery_filters", wallet];
const impressionKey = (wallet: string, id: string): Deno.KvKey => [
  "discovery_impressions",
  wallet,
  id,
];
/** KV key of a profile's impression counter for one UTC day. */
export const exposureKey = (day: string, profileId: string): Deno.KvKey => [
  "discovery_exposure",
  day,
  profileId,
];
const passKey = (wallet: string, profileId: string): Deno.KvKey => [
  "discovery_passes",
  wallet,
  profileId,
];

const savedFiltersSchema = z.object({
  filters: z.object({
    universities: z.array(z.string()).optional(),
    graduationYears: z.array(z.number().int()).optional(),
    ageRange: z.object({ min: z.number().int(), max: z.number().int() }).optional(),
    tags: z.array(z.string()).optional(),
  }),
  updatedAt: z.number().int(),
});
const impressionSchema = z.object({ at: z.number().int(), profileIds: z.array(z.string()) });
const passSchema = z.object({ passedAt: z.number().int() });

/**
 * Saves the viewer's discovery filters (the filter schema of `core/profiles`; `{}` clears them).
 * BadRequestError `invalid_filters` naming the first bad field.
 */
export async function saveFilters(
  deps: FeedbackDeps,
  wallet: string,
  input: unknown,
): Promise<DiscoveryFilters> {
  const now = deps.clock.now();
  const parsed = filtersSchema(now).safeParse(input);
  if (!parsed.success) {
    const first = fieldIssues(parsed.error)[0];
    throw new BadRequestError("invalid_filters", `${first.field}: ${first.message}`);
  }
  const filters = Object.fromEntries(
    Object.entries(parsed.data).filter(([, value]) => value !== undefined),
  ) as DiscoveryFilters;
  await deps.kv.set(filtersKey(normalizeWallet(wallet)), { filters, updatedAt: now });
  return filters;
}

/** The viewer's saved filters (`{}` when none were saved). */
export async function savedFilters(kv: Deno.Kv, wallet: string): Promise<DiscoveryFilters> {
  const entry = await kv.get(filtersKey(normalizeWallet(wallet)));
  if (entry.versionstamp === null) return {};
  return savedFiltersSchema.parse(entry.value).filters as DiscoveryFilters;
}

/** The filters a listing uses: the request's when it gives any, else the saved ones. */
export async function effectiveFilters<T extends object = DiscoveryFilters>(
  kv: Deno.Kv,
  wallet: string,
  requested: T | undefined,
): Promise<T | DiscoveryFilters> {
  if (requested && Object.keys(requested).length > 0) return requested;
  return await savedFilters(kv, wallet);
}

/**
 * Records that `profileIds` were shown to `viewer` in one page view: one commit holding the
 * impression record and a sum on each profile's exposure counter of the day.
 */
export async function recordImpressions(
  deps: FeedbackDeps,
  viewer: string,
  profileIds: string[],
): Promise<void> {
  if (profileIds.length === 0) return;
  const now = deps.clock.now();
  const day = dayKeyFor(now);
  const op = deps.kv.atomic().set(
    impressionKey(normalizeWallet(viewer), ulid(deps.clock)),
    { at: now, profileIds },
    { expireIn: IMPRESSION_TTL_MS },
  );
  for (const id of new Set(profileIds)) op.sum(exposureKey(day, id), 1n);
  const result = await op.commit();
  if (!result.ok) throw new Error("the impression commit failed");
}

/**
 * Profiles shown to `viewer` since `since`, with when each was last shown. An impression's id is a
 * ULID made after its `at` was read, so its time is at least `at`: the scan starts at `since`'s ULID
 * time and skips the older records.
 */
export async function recentImpressions(
  kv: Deno.Kv,
  viewer: string,
  since: number,
): Promise<Map<string, number>> {
  const shown = new Map<string, number>();
  const wallet = normalizeWallet(viewer);
  for await (
    const entry of kv.list({
      prefix: ["discovery_impressions", wallet],
      start: ["discovery_impressions", wallet, ulidTimePrefix(since)],
    })
  ) {
    const { at, profileIds } = impressionSchema.parse(entry.value);
    if (at < since) continue;
    for (const id of profileIds) shown.set(id, Math.max(shown.get(id) ?? 0, at));
  }
  return shown;
}

/** The UTC day keys of the exposure window ending at `now`, newest first. */
export function exposureDays(now: number): string[] {
  return Array.from({ length: EXPOSURE_WINDOW_DAYS }, (_, i) => dayKeyFor(now - i * DAY_MS));
}

/** Impressions per profile over the exposure window ending at `now`. */
export async function exposureCounts(kv: Deno.Kv, now: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const day of exposureDays(now)) {
    for await (const entry of kv.list<Deno.KvU64>({ prefix: ["discovery_exposure", day] })) {
      const id = String(entry.key[2]);
      counts.set(id, (counts.get(id) ?? 0) + Number(entry.value.value));
    }
  }
  return counts;
}

/** Deletes exposure counters of days before the window ending at `now`; returns how many. */
export async function pruneExposure(kv: Deno.Kv, now: number): Promise<number> {
  const oldest = exposureDays(now).at(-1)!;
  let deleted = 0;
  for await (
    const entry of kv.list({ start: ["discovery_exposure"], end: ["discovery_exposure", oldest] })
  ) {
    await kv.delete(entry.key);
    deleted++;
  }
  return deleted;
}

/** Outcome of {@link passProfile}. */
export interface PassResult {
  profileId: string;
  status: "passed" | "already_passed";
  passedAt: number;
}

/**
 * Records that `viewer` passed on `profileId`; repeating it changes nothing. BadRequestError
 * `invalid_profile_id`, `pass_self`; NotFoundError `profile_not_found` (absent, hidden, or blocked
 * either way — indistinguishable on purpose).
 */
export async function passProfile(
  deps: FeedbackDeps,
  viewer: string,
  profileId: string,
): Promise<PassResult> {
  const me = normalizeWallet(viewer);
  if (!ulidSchema.safeParse(profileId).success) {
    throw new BadRequestError("invalid_profile_id", "profileId: is not a profile id");
  }
  const profile = await getProfile(deps, profileId);
  if (!profile || profile.hidden || await isBlocked(deps.kv, me, profile.wallet)) {
    throw new NotFoundError("profile_not_found", "No such profile.");
  }
  if (profile.wallet === me || (await profileIdOf(deps.kv, me)) === profileId) {
    throw new BadRequestError("pass_self", "You cannot pass on yourself.");
  }
  const key = passKey(me, profileId);
  const existing = await deps.kv.get(key);
  if (existing.versionstamp !== null) {
    return {
      profileId,
      status: "already_passed",
      passedAt: passSchema.parse(existing.value).passedAt,
    };
  }
  const passedAt = deps.clock.now();
  const result = await deps.kv.atomic().check(existing)
    .set(key, { passedAt }, { expireIn: PASS_TTL_MS }).commit();
  if (!result.ok) {
    const now = passSchema.parse((await deps.kv.get(key)).value);
    return { profileId, status: "already_passed", passedAt: now.passedAt };
  }
  return { profileId, status: "passed", passedAt };
}

/** The viewer's passes still standing at `now`: profile id → when. */
export async function listPasses(
  kv: Deno.Kv,
  viewer: string,
  now: number,
): Promise<Map<string, number>> {
  const passes = new Map<string, number>();
  for await (const entry of kv.list({ prefix: ["discovery_passes", normalizeWallet(viewer)] })) {
    const { passedAt } = passSchema.parse(entry.value);
    // KV expiry is lazy and the clock may be injected: the age is checked here as well.
    if (passedAt > now - PASS_TTL_MS) passes.set(String(entry.key[2]), passedAt);
  }
  return passes;
}

/** Every viewer's passes still standing at `now` (the community refit's losers). */
export async function listAllPasses(
  kv: Deno.Kv,
  now: number,
): Promise<{ viewer: string; profileId: string; passedAt: number }[]> {
  const passes: { viewer: string; profileId: string; passedAt: number }[] = [];
  for await (const entry of kv.list({ prefix: ["discovery_passes"] }, { batchSize: 500 })) {
    const { passedAt } = passSchema.parse(entry.value);
    if (passedAt <= now - PASS_TTL_MS) continue;
    passes.push({ viewer: String(entry.key[1]), profileId: String(entry.key[2]), passedAt });
  }
  return passes;
}

/** Every page view still kept ({@link IMPRESSION_TTL_MS}): who was shown which profiles, when. */
export async function listAllImpressions(
  kv: Deno.Kv,
): Promise<{ viewer: string; at: number; profileIds: string[] }[]> {
  const pages: { viewer: string; at: number; profileIds: string[] }[] = [];
  for await (const entry of kv.list({ prefix: ["discovery_impressions"] }, { batchSize: 500 })) {
    const { at, profileIds } = impressionSchema.parse(entry.value);
    pages.push({ viewer: String(entry.key[1]), at, profileIds });
  }
  return pages;
}
