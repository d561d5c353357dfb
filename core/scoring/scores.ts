/**
 * Scoring a member's own photos. The score is computed by the ML core from the photo's stored
 * features and flags only (never a profile field), with the current model weights and the photo's
 * community offset; it is stored as the photo's latest score and appended to its history, and the
 * population histogram moves in the same commit. Nobody but the owner ever reads these records.
 */
import type { Analysis, ModelWeights, ScoreBreakdown } from "@/ml-wasm/mod.ts";
import { enforceRateLimit, type RateLimitRule } from "@/core/cache/mod.ts";
import type { Cache } from "@/core/cache/types.ts";
import { ConflictError, NotFoundError, ServiceUnavailableError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { normalizeWallet } from "@/core/members.ts";
import { profileIdOf, profileKey, readProfile, renditionKey } from "@/core/profiles/mod.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { ulid } from "@/core/ulid.ts";
import { modelWeightsSchema } from "./model_weights.ts";
import { indexAnalysis, type PhotoHookDeps } from "./photo_hooks.ts";
import {
  type PhotoAnalysis,
  photoAnalysisKey,
  photoAnalysisSchema,
  readPhotoAnalysis,
} from "./photo_analysis.ts";
import {
  bestOf,
  bucketOf,
  historyPrefix,
  latestScoreKey,
  moveInHistogram,
  percentileIn,
  photoOffsetKey,
  photoOffsetSchema,
  type PhotoScore,
  photoScoreSchema,
  readBest,
  readHistogram,
  readLatestScores,
  replaceBest,
  scoringModelKey,
} from "./score_records.ts";

/** The calls of the ML core scoring uses (`ml-wasm/mod.ts` and its pool satisfy it). */
export interface ScoringMl {
  analyzePhoto(bytes: Uint8Array): Promise<Analysis>;
  scorePhoto(
    analysis: Pick<Analysis, "features" | "flags">,
    model?: ModelWeights | null,
    community?: { offset?: number; comparisons?: number },
  ): Promise<ScoreBreakdown>;
  defaultModel(): Promise<ModelWeights>;
}

/** What the scoring functions need. */
export interface ScoringDeps extends PhotoHookDeps {
  cache: Cache;
  objects: ObjectStore;
  ml: ScoringMl;
}

/** Scorings per member per day. */
export const SCORE_RATE_LIMIT: RateLimitRule = {
  name: "photo_score",
  limit: 20,
  windowSeconds: 24 * 60 * 60,
};

const photoNotFound = () => new NotFoundError("photo_not_found", "No such photo of yours.");

/** The member's profile and the photo, which must be one of theirs (else `photo_not_found`). */
async function ownPhoto(kv: Deno.Kv, wallet: string, photoId: string) {
  const profileId = await profileIdOf(kv, wallet);
  const { profile } = profileId ? await readProfile(kv, profileId) : { profile: null };
  if (!profile || profile.wallet !== normalizeWallet(wallet)) throw photoNotFound();
  if (!profile.photos.some((photo) => photo.id === photoId)) throw photoNotFound();
  return profile;
}

/** The current model: the fitted weights in KV, else the documented prior. */
export async function currentModel(
  deps: { kv: Deno.Kv; ml: Pick<ScoringMl, "defaultModel"> },
): Promise<ModelWeights> {
  const entry = await deps.kv.get(scoringModelKey);
  if (entry.versionstamp === null) return await deps.ml.defaultModel();
  return modelWeightsSchema.parse(entry.value);
}

/** The photo's community offset (zero over zero comparisons when it has none). */
export async function readPhotoOffset(
  kv: Deno.Kv,
  photoId: string,
): Promise<{ offset: number; comparisons: number }> {
  const entry = await kv.get(photoOffsetKey(photoId));
  if (entry.versionstamp === null) return { offset: 0, comparisons: 0 };
  return photoOffsetSchema.parse(entry.value);
}

/**
 * The photo's stored analysis; a photo accepted before analyses were kept has its stored `full`
 * rendition analysed once, and the result stored (and indexed) while the photo still exists.
 */
async function analysisOf(
  deps: ScoringDeps,
  profileId: string,
  photoId: string,
): Promise<PhotoAnalysis> {
  const stored = await readPhotoAnalysis(deps.kv, photoId);
  if (stored) return stored;
  const object = await deps.objects.get(renditionKey(profileId, photoId, "full"));
  if (!object) throw new ServiceUnavailableError("photo_unavailable", "The photo is unavailable.");
  let analysis: Analysis;
  try {
    analysis = await deps.ml.analyzePhoto(
      new Uint8Array(await new Response(object.body).arrayBuffer()),
    );
  } catch {
    throw new ServiceUnavailableError("photo_processing_unavailable", "Photo analysis failed.");
  }
  const record = photoAnalysisSchema.parse({
    photoId,
    profileId,
    features: analysis.features,
    flags: analysis.flags,
    faceCount: analysis.faces.length,
    embedding: analysis.embedding,
    analyzedAt: deps.clock.now(),
  });
  const kept = await commitWithRetry(
    async () => {
      const { profile, versionstamp } = await readProfile(deps.kv, profileId);
      if (!profile?.photos.some((photo) => photo.id === photoId)) throw photoNotFound();
      const existing = await readPhotoAnalysis(deps.kv, photoId);
      if (existing) return { value: { analysis: existing, created: false } };
      const op = deps.kv.atomic()
        .check({ key: profileKey(profileId), versionstamp })
        .check({ key: photoAnalysisKey(photoId), versionstamp: null })
        .set(photoAnalysisKey(photoId), record);
      return { op, value: { analysis: record, created: true } };
    },
    () => new ConflictError("photo_contended", "The photo is being changed concurrently."),
  );
  if (kept.created) await indexAnalysis(deps, kept.analysis);
  return kept.analysis;
}

/** A breakdown of the ML core as the stored score (percentile filled in by the commit). */
function scoreRecord(
  photoId: string,
  profileId: string,
  breakdown: ScoreBreakdown,
  scoredAt: number,
): PhotoScore {
  return {
    photoId,
    profileId,
    score: breakdown.score,
    percentile: 50,
    breakdown: {
      groups: breakdown.groups,
      contributions: breakdown.contributions,
      communityOffset: breakdown.communityOffset,
    },
    confidence: breakdown.confidence,
    flags: breakdown.flags,
    modelVersion: breakdown.modelVersion,
    scoredAt,
  };
}

/**
 * Scores one of the member's own photos and stores it. NotFoundError `photo_not_found` (not their
 * photo, deleted, unknown), TooManyRequestsError `rate_limited` (20 a day), ServiceUnavailableError
 * (`photo_unavailable`, `photo_processing_unavailable`), ConflictError `photo_contended`.
 */
export async function scoreOwnPhoto(
  deps: ScoringDeps,
  { wallet, photoId }: { wallet: string; photoId: string },
): Promise<PhotoScore> {
  const profile = await ownPhoto(deps.kv, wallet, photoId);
  await enforceRateLimit(deps.cache, SCORE_RATE_LIMIT, normalizeWallet(wallet));
  const analysis = await analysisOf(deps, profile.id, photoId);
  const model = await currentModel(deps);
  const community = await readPhotoOffset(deps.kv, photoId);
  const breakdown = await deps.ml.scorePhoto(
    { features: analysis.features as Analysis["features"], flags: analysis.flags },
    model,
    community,
  );
  return await commitPhotoScore(deps, {
    photoId,
    profileId: profile.id,
    breakdown,
  });
}

/**
 * The scoring commit: checks that the photo and its analysis still exist, writes the photo's latest
 * score and a history entry, moves it between histogram buckets and rewrites its member's best (and
 * leaderboard entry) in one commit. NotFoundError `photo_not_found` when the photo is gone,
 * ConflictError `photo_contended` after repeated conflicts.
 */
export async function commitPhotoScore(
  deps: Pick<ScoringDeps, "kv" | "clock">,
  { photoId, profileId, breakdown }: {
    photoId: string;
    profileId: string;
    breakdown: ScoreBreakdown;
  },
): Promise<PhotoScore> {
  const scoredAt = deps.clock.now();
  const historyId = ulid(deps.clock);
  return await commitWithRetry(
    async () => {
      const [kept, current] = await Promise.all([
        deps.kv.get(photoAnalysisKey(photoId)),
        readProfile(deps.kv, profileId),
      ]);
      if (kept.versionstamp === null || !current.profile?.photos.some((p) => p.id === photoId)) {
        throw photoNotFound();
      }
      const others = current.profile.photos.map((p) => p.id).filter((id) => id !== photoId);
      const [[previous], otherScores, seen, counts] = await Promise.all([
        readLatestScores(deps.kv, [photoId]),
        readLatestScores(deps.kv, others),
        readBest(deps.kv, profileId),
        readHistogram(deps.kv),
      ]);
      const record = scoreRecord(photoId, profileId, breakdown, scoredAt);
      moveCounts(counts, previous.score?.score ?? null, record.score);
      record.percentile = percentileIn(counts, record.score);
      const stored = photoScoreSchema.parse(record);
      const op = deps.kv.atomic()
        .check({ key: photoAnalysisKey(photoId), versionstamp: kept.versionstamp })
        .check({ key: latestScoreKey(photoId), versionstamp: previous.versionstamp })
        .set(latestScoreKey(photoId), stored)
        .set([...historyPrefix(photoId), historyId], stored);
      moveInHistogram(op, previous.score?.score ?? null, stored.score);
      const best = bestOf([stored, ...otherScores.map((s) => s.score)]);
      await replaceBest(deps.kv, op, profileId, seen, best);
      return { op, value: stored };
    },
    () => new ConflictError("photo_contended", "The photo is being scored concurrently."),
  );
}

/** Applies one photo's move to a copy of the histogram read before the commit. */
function moveCounts(counts: number[], from: number | null, to: number): void {
  const [a, b] = [from === null ? null : bucketOf(from), bucketOf(to)];
  if (a !== null && counts[a] > 0) counts[a]--;
  counts[b]++;
}

/** The member's scores: each photo's latest (with its current percentile) and every scoring. */
export interface OwnScores {
  latest: PhotoScore[];
  history: PhotoScore[];
}

/**
 * The latest score of each of the member's current photos (percentile against today's
 * population) and their whole history, newest first. Empty lists without a profile.
 */
export async function listOwnScores(
  deps: Pick<ScoringDeps, "kv">,
  { wallet }: { wallet: string },
): Promise<OwnScores> {
  const profileId = await profileIdOf(deps.kv, wallet);
  const { profile } = profileId ? await readProfile(deps.kv, profileId) : { profile: null };
  if (!profile) return { latest: [], history: [] };
  const photoIds = profile.photos.map((photo) => photo.id);
  const [latest, counts] = await Promise.all([
    readLatestScores(deps.kv, photoIds),
    readHistogram(deps.kv),
  ]);
  const history: { id: string; score: PhotoScore }[] = [];
  for (const photoId of photoIds) {
    for await (const entry of deps.kv.list({ prefix: historyPrefix(photoId) })) {
      history.push({ id: String(entry.key[2]), score: photoScoreSchema.parse(entry.value) });
    }
  }
  return {
    latest: latest
      .flatMap(({ score }) =>
        score ? [{ ...score, percentile: percentileIn(counts, score.score) }] : []
      )
      .sort((a, b) => b.scoredAt - a.scoredAt),
    history: history.sort((a, b) => (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)).map((h) => h.score),
  };
}
