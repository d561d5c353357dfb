/**
 * Today's circle: a daily batch of {@link TODAY_SIZE} recommended profiles per member, the same set
 * all (UTC) day. A daily queue job makes every member's; a member whose circle the job has not made
 * yet gets it made on demand. Either way it is stored once (a check on the empty key), so the job,
 * a redelivery and a request racing each other leave one circle.
 *   ["discovery_today", wallet, dayKey]   → { profileIds, createdAt }   (expires after 3 days)
 *   ["jobs", "discovery_today", dayKey]   → { scheduledAt }              (one daily run per day)
 * Queue messages: `{ type: "discovery_today", day }` (fan-out) and
 * `{ type: "discovery_today_batch", day, wallets }` (up to {@link TODAY_BATCH} members each).
 */
import { z } from "zod";
import { normalizeWallet, walletSchema } from "@/core/members.ts";
import type { PublicProfileView } from "@/core/profiles/mod.ts";
import { getProfileByWallet, profileRecordSchema } from "@/core/profiles/mod.ts";
import { dayKeyFor } from "@/core/social/mod.ts";
import { listPasses } from "./feedback.ts";
import {
  admissible,
  rankCandidates,
  type RecommendDeps,
  recordServed,
  viewsOf,
} from "./recommend.ts";

/** Profiles in a day's circle. */
export const TODAY_SIZE = 8;
/** Members per batch message. */
export const TODAY_BATCH = 50;
const DAY_MS = 24 * 60 * 60 * 1000;
/** Minutes after 00:00 UTC the daily run starts. */
export const TODAY_RUN_MINUTE = 5;

const todayKey = (wallet: string, day: string): Deno.KvKey => ["discovery_today", wallet, day];
const runKey = (day: string): Deno.KvKey => ["jobs", "discovery_today", day];
const todaySchema = z.object({ profileIds: z.array(z.string()), createdAt: z.number().int() });

/** The daily fan-out message. */
export const todayRunMessage = z.object({ type: z.literal("discovery_today"), day: z.string() });
/** A batch of members whose circles to make. */
export const todayBatchMessage = z.object({
  type: z.literal("discovery_today_batch"),
  day: z.string(),
  wallets: z.array(walletSchema).max(TODAY_BATCH),
});

/** The stored circle ids of `wallet` for `day`, made (and stored) now when absent. */
export async function ensureTodaysCircle(
  deps: RecommendDeps,
  wallet: string,
  day: string,
): Promise<string[]> {
  const me = normalizeWallet(wallet);
  const key = todayKey(me, day);
  const entry = await deps.kv.get(key);
  if (entry.versionstamp !== null) return todaySchema.parse(entry.value).profileIds;
  const ranking = await rankCandidates(deps, { viewer: me, limit: TODAY_SIZE });
  const profileIds = ranking.values.map((r) => r.profile.id);
  const result = await deps.kv.atomic().check(entry)
    .set(key, { profileIds, createdAt: deps.clock.now() }, { expireIn: 3 * DAY_MS })
    .commit();
  if (result.ok) return profileIds;
  return todaySchema.parse((await deps.kv.get(key)).value).profileIds;
}

/**
 * `GET /api/discovery/today`: today's circle as public views (made now if the job has not), less
 * anyone passed on, or who became hidden, blocked or unadmitted since, or whom the viewer no longer wants to
 * meet (or who no longer wants to meet the viewer); records the impressions.
 */
export async function todaysCircle(
  deps: RecommendDeps,
  viewer: string,
): Promise<{ day: string; values: PublicProfileView[] }> {
  const me = normalizeWallet(viewer);
  const now = deps.clock.now();
  const day = dayKeyFor(now);
  const [ids, passes, own] = await Promise.all([
    ensureTodaysCircle(deps, me, day),
    listPasses(deps.kv, me, now),
    getProfileByWallet(deps, me),
  ]);
  const checked = await admissible(
    deps.kv,
    { wallet: me, meeting: own },
    ids.filter((id) => !passes.has(id)).map((id) => ({ id })),
    null,
    now,
  );
  const values = viewsOf(me, checked.flatMap((c) => c ? [c] : []), now);
  await recordServed(deps, me, values.map((v) => v.id));
  return { day, values };
}

/**
 * Enqueues the daily run for `day` once (a second call for the same day does nothing), after
 * `delayMs`; true when this call scheduled it.
 */
export async function scheduleTodayRun(
  deps: Pick<RecommendDeps, "kv" | "clock">,
  day: string,
  delayMs = 0,
): Promise<boolean> {
  const result = await deps.kv.atomic()
    .check({ key: runKey(day), versionstamp: null })
    .set(runKey(day), { scheduledAt: deps.clock.now() }, { expireIn: 3 * DAY_MS })
    .enqueue({ type: "discovery_today", day }, { delay: delayMs })
    .commit();
  return result.ok;
}

/** Milliseconds from `now` to the next daily run time ({@link TODAY_RUN_MINUTE} past 00:00 UTC). */
export function untilNextTodayRun(now: number): { day: string; delayMs: number } {
  const start = Math.floor(now / DAY_MS) * DAY_MS + TODAY_RUN_MINUTE * 60_000;
  const at = start > now ? start : start + DAY_MS;
  return { day: dayKeyFor(at), delayMs: at - now };
}

/** Enqueues one batch message per {@link TODAY_BATCH} members with a profile; returns how many. */
export async function fanOutTodayRun(
  deps: Pick<RecommendDeps, "kv">,
  day: string,
): Promise<number> {
  let wallets: string[] = [];
  let batches = 0;
  const flush = async () => {
    if (!wallets.length) return;
    await deps.kv.enqueue({ type: "discovery_today_batch", day, wallets });
    batches++;
    wallets = [];
  };
  for await (const entry of deps.kv.list({ prefix: ["profiles"] }, { batchSize: 500 })) {
    wallets.push(profileRecordSchema.parse(entry.value).wallet);
    if (wallets.length === TODAY_BATCH) await flush();
  }
  await flush();
  return batches;
}

/** Makes the circles of a batch message's members (each at most once per day). */
export async function runTodayBatch(
  deps: RecommendDeps,
  message: z.infer<typeof todayBatchMessage>,
): Promise<void> {
  for (const wallet of message.wallets) await ensureTodaysCircle(deps, wallet, message.day);
}
