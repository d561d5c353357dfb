/**
 * The KV records of photo scores. A photo's latest score, its member's best photo, the leaderboard
 * entry and the population histogram change together in one commit, so the histogram always counts
 * exactly the photos that have a latest score:
 *   ["photo_scores", photoId]             → PhotoScore (the latest)
 *   ["score_history", photoId, ulid]      → PhotoScore (every scoring, with its model version)
 *   ["score_histogram", bucket]           → KvU64 (photos whose latest score rounds to `bucket`)
 *   ["score_best", profileId]             → { photoId, score } (the member's best latest score)
 *   ["leaderboard_settings", profileId]   → { optIn, updatedAt } (absent: not opted in)
 *   ["leaderboard", rankKey, profileId]   → photoId (opted-in members only; rankKey sorts best first)
 *   ["photo_offset", photoId]             → { offset, comparisons } (the community refit's output)
 *   ["scoring_model"]                     → ModelWeights (the current fitted model; absent: prior)
 * Every commit that changes a profile's latest scores also writes `score_best`, so checking that one
 * versionstamp covers all of the profile's latest scores.
 */
import { z } from "zod";
import { getMany } from "@/core/kv.ts";

/** Buckets of the histogram: whole score points 0–100. */
export const HISTOGRAM_BUCKETS = 101;

const contributionSchema = z.object({
  feature: z.string(),
  group: z.enum(["technical", "composition", "face"]),
  value: z.number().nullable(),
  z: z.number(),
  weight: z.number(),
  points: z.number(),
});

/** One scoring of one photo, as stored and as its owner reads it. */
export const photoScoreSchema = z.object({
  photoId: z.string(),
  profileId: z.string(),
  score: z.number().min(0).max(100),
  /** Share of the scored population (each photo's latest score) below this score, 0–100. */
  percentile: z.number().min(0).max(100),
  breakdown: z.object({
    groups: z.object({ technical: z.number(), composition: z.number(), face: z.number() }),
    contributions: z.array(contributionSchema),
    communityOffset: z.object({
      raw: z.number(),
      comparisons: z.number(),
      shrunk: z.number(),
      points: z.number(),
    }),
  }),
  confidence: z.number(),
  flags: z.array(z.string()),
  modelVersion: z.string(),
  scoredAt: z.number().int(),
});
/** One scoring of one photo. */
export type PhotoScore = z.infer<typeof photoScoreSchema>;

const bestSchema = z.object({ photoId: z.string(), score: z.number() });
/** A member's best latest score. */
export type BestScore = z.infer<typeof bestSchema>;

const settingsSchema = z.object({ optIn: z.boolean(), updatedAt: z.number().int() });

/** The community's signal about one photo, written by the preference refit. */
export const photoOffsetSchema = z.object({
  offset: z.number(),
  comparisons: z.number().int().min(0),
});

/** KV key of a photo's latest score. */
export const latestScoreKey = (photoId: string): Deno.KvKey => ["photo_scores", photoId];
/** KV key prefix of a photo's score history. */
export const historyPrefix = (photoId: string): Deno.KvKey => ["score_history", photoId];
/** KV key of one histogram bucket. */
export const histogramKey = (bucket: number): Deno.KvKey => ["score_histogram", bucket];
/** KV key of a member's best latest score. */
export const bestScoreKey = (profileId: string): Deno.KvKey => ["score_best", profileId];
/** KV key of a member's leaderboard choice. */
export const leaderboardSettingsKey = (profileId: string): Deno.KvKey => [
  "leaderboard_settings",
  profileId,
];
/** KV key of an opted-in member's leaderboard entry. */
export const leaderboardKey = (score: number, profileId: string): Deno.KvKey => [
  "leaderboard",
  rankKey(score),
  profileId,
];
/** KV key of a photo's community offset. */
export const photoOffsetKey = (photoId: string): Deno.KvKey => ["photo_offset", photoId];
/** KV key of the current model weights. */
export const scoringModelKey: Deno.KvKey = ["scoring_model"];

/** Sorts higher scores first, to a thousandth of a point. */
export function rankKey(score: number): number {
  return Math.round((100 - score) * 1000);
}

/** The score a leaderboard rank key stands for. */
export function scoreOfRankKey(key: number): number {
  return Math.round(100_000 - key) / 1000;
}

/** The histogram bucket of a score. */
export function bucketOf(score: number): number {
  return Math.min(HISTOGRAM_BUCKETS - 1, Math.max(0, Math.round(score)));
}

const ONE = new Deno.KvU64(1n);
const MINUS_ONE = new Deno.KvU64((1n << 64n) - 1n); // KvU64 sums wrap: this subtracts one

/** Moves one photo between histogram buckets in `op` (`from` null: newly scored; `to` null: gone). */
export function moveInHistogram(
  op: Deno.AtomicOperation,
  from: number | null,
  to: number | null,
): void {
  const [a, b] = [from === null ? null : bucketOf(from), to === null ? null : bucketOf(to)];
  if (a === b) return;
  if (a !== null) op.sum(histogramKey(a), MINUS_ONE.value);
  if (b !== null) op.sum(histogramKey(b), ONE.value);
}

/** The histogram's counts by bucket (absent buckets are zero). */
export async function readHistogram(kv: Deno.Kv): Promise<number[]> {
  const counts = new Array<number>(HISTOGRAM_BUCKETS).fill(0);
  for await (const entry of kv.list<Deno.KvU64>({ prefix: ["score_histogram"] })) {
    const bucket = entry.key[1];
    if (typeof bucket === "number" && bucket >= 0 && bucket < HISTOGRAM_BUCKETS) {
      counts[bucket] = Number(entry.value.value);
    }
  }
  return counts;
}

/** Percentile (0–100) of `score` in the histogram: (below + equal / 2) / total; 50 when empty. */
export function percentileIn(counts: readonly number[], score: number): number {
  const bucket = bucketOf(score);
  let below = 0, total = 0;
  counts.forEach((count, i) => {
    total += count;
    if (i < bucket) below += count;
  });
  if (total === 0) return 50;
  return Math.round((1000 * (below + counts[bucket] / 2)) / total) / 10;
}

/** Latest scores of `photoIds` with their versionstamps, in order. */
export async function readLatestScores(kv: Deno.Kv, photoIds: readonly string[]) {
  const entries = await getMany(kv, photoIds.map(latestScoreKey));
  return entries.map((entry) => ({
    versionstamp: entry.versionstamp,
    score: entry.versionstamp === null ? null : photoScoreSchema.parse(entry.value),
  }));
}

/** A member's best latest score and its versionstamp. */
export async function readBest(kv: Deno.Kv, profileId: string) {
  const entry = await kv.get(bestScoreKey(profileId));
  return {
    versionstamp: entry.versionstamp,
    best: entry.versionstamp === null ? null : bestSchema.parse(entry.value),
  };
}

/** A member's leaderboard choice and its versionstamp. */
export async function readLeaderboardSettings(kv: Deno.Kv, profileId: string) {
  const entry = await kv.get(leaderboardSettingsKey(profileId));
  return {
    versionstamp: entry.versionstamp,
    optIn: entry.versionstamp !== null && settingsSchema.parse(entry.value).optIn,
  };
}

/** The best of some latest scores, or null. */
export function bestOf(scores: readonly (PhotoScore | null)[]): BestScore | null {
  let best: BestScore | null = null;
  for (const s of scores) {
    if (s && (!best || s.score > best.score)) best = { photoId: s.photoId, score: s.score };
  }
  return best;
}

/**
 * Writes a member's new best in `op` (checked against `seen`) and moves their leaderboard entry
 * when they opted in (the choice is checked too).
 */
export async function replaceBest(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  profileId: string,
  seen: { versionstamp: string | null; best: BestScore | null },
  next: BestScore | null,
): Promise<void> {
  const settings = await readLeaderboardSettings(kv, profileId);
  op.check({ key: bestScoreKey(profileId), versionstamp: seen.versionstamp })
    .check({ key: leaderboardSettingsKey(profileId), versionstamp: settings.versionstamp });
  if (next) op.set(bestScoreKey(profileId), bestSchema.parse(next));
  else op.delete(bestScoreKey(profileId));
  if (!settings.optIn) return;
  if (seen.best) op.delete(leaderboardKey(seen.best.score, profileId));
  if (next) op.set(leaderboardKey(next.score, profileId), next.photoId);
}

/** Sets or clears a member's leaderboard choice in `op`, with their entry. */
export function writeLeaderboardChoice(
  op: Deno.AtomicOperation,
  profileId: string,
  optIn: boolean,
  best: BestScore | null,
  now: number,
): void {
  op.set(leaderboardSettingsKey(profileId), { optIn, updatedAt: now });
  if (!best) return;
  if (optIn) op.set(leaderboardKey(best.score, profileId), best.photoId);
  else op.delete(leaderboardKey(best.score, profileId));
}

/** Deletes a photo's whole score history (after the photo is gone; its size is unbounded). */
export async function deleteHistory(kv: Deno.Kv, photoId: string): Promise<void> {
  let batch: Deno.KvKey[] = [];
  const flush = async () => {
    const op = kv.atomic();
    for (const key of batch) op.delete(key);
    await op.commit();
    batch = [];
  };
  for await (const entry of kv.list({ prefix: historyPrefix(photoId) })) {
    batch.push(entry.key);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
}
