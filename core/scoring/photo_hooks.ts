/**
 * What the scoring domain keeps beside each photo, as hooks for the photo pipeline: an accepted
 * upload's analysis is written in the commit that records the photo and then indexed in the vector
 * store; a removed photo's analysis, latest score, histogram count, offset and best/leaderboard
 * entry leave in the commit that removes it, then its vector and its score history.
 */
import type { Clock } from "@/core/clock.ts";
import { indexPhoto, type VectorStore } from "@/core/discovery/mod.ts";
import type { AcceptedPhoto, PhotoRecordHooks, Profile } from "@/core/profiles/mod.ts";
import { type PhotoAnalysis, photoAnalysisKey, setPhotoAnalysis } from "./photo_analysis.ts";
import {
  bestOf,
  bestScoreKey,
  deleteHistory,
  latestScoreKey,
  leaderboardKey,
  leaderboardSettingsKey,
  moveInHistogram,
  photoOffsetKey,
  readBest,
  readLatestScores,
  replaceBest,
} from "./score_records.ts";

/** Reports a failure of work done after a commit (the committed state stays correct). */
export type LogFailure = (event: string, fields: Record<string, unknown>) => void;

/** What the hooks need. */
export interface PhotoHookDeps {
  kv: Deno.Kv;
  clock: Clock;
  vectors: VectorStore;
  logFailure: LogFailure;
}

/** The record kept of an accepted photo's analysis (no face-identity descriptor). */
export function analysisRecord(photo: AcceptedPhoto): PhotoAnalysis {
  const { analysis } = photo;
  return {
    photoId: photo.photoId,
    profileId: photo.profileId,
    features: { ...analysis.features },
    flags: [...analysis.flags],
    faceCount: analysis.faces.length,
    embedding: { scale: analysis.embedding.scale, values: [...analysis.embedding.values] },
    analyzedAt: photo.analyzedAt,
  };
}

/** Indexes a stored analysis in the vector store; a failure is logged, never thrown. */
export async function indexAnalysis(deps: PhotoHookDeps, analysis: PhotoAnalysis): Promise<void> {
  try {
    await indexPhoto(deps, analysis);
  } catch (error) {
    deps.logFailure("photo_index_failed", { photoId: analysis.photoId, error: String(error) });
  }
}

/** The hooks the photo pipeline runs around its commits. */
export function photoRecordHooks(deps: PhotoHookDeps): PhotoRecordHooks {
  return {
    onAccept(op, photo) {
      setPhotoAnalysis(op, analysisRecord(photo));
    },
    async afterAccept(photo) {
      await indexAnalysis(deps, analysisRecord(photo));
    },
    async onRemove(op, { before, after }) {
      await removeScoring(deps.kv, op, before, after);
    },
    async afterRemove({ profileId, photoIds, wholeProfile }) {
      try {
        if (wholeProfile) await deps.vectors.deleteProfile(profileId);
        else await deps.vectors.delete(photoIds);
      } catch (error) {
        deps.logFailure("photo_unindex_failed", { profileId, photoIds, error: String(error) });
      }
      for (const photoId of photoIds) {
        try {
          await deleteHistory(deps.kv, photoId);
        } catch (error) {
          deps.logFailure("score_history_cleanup_failed", { photoId, error: String(error) });
        }
      }
    },
  };
}

/**
 * Adds to `op` the removal of the scoring records of the photos `before` has and `after` lacks
 * (`after` null: the whole profile goes, with its leaderboard choice).
 */
async function removeScoring(
  kv: Deno.Kv,
  op: Deno.AtomicOperation,
  before: Profile,
  after: Profile | null,
): Promise<void> {
  const kept = new Set(after?.photos.map((p) => p.id) ?? []);
  const removed = before.photos.map((p) => p.id).filter((id) => !kept.has(id));
  if (removed.length === 0) return;
  const latest = await readLatestScores(kv, removed);
  removed.forEach((photoId, i) => {
    const { versionstamp, score } = latest[i];
    op.delete(photoAnalysisKey(photoId)).delete(photoOffsetKey(photoId));
    if (!score) return;
    op.check({ key: latestScoreKey(photoId), versionstamp }).delete(latestScoreKey(photoId));
    moveInHistogram(op, score.score, null);
  });
  const seen = await readBest(kv, before.id);
  if (!after) {
    op.check({ key: bestScoreKey(before.id), versionstamp: seen.versionstamp })
      .delete(bestScoreKey(before.id))
      .delete(leaderboardSettingsKey(before.id));
    if (seen.best) op.delete(leaderboardKey(seen.best.score, before.id));
    return;
  }
  const remaining = await readLatestScores(kv, [...kept]);
  await replaceBest(kv, op, before.id, seen, bestOf(remaining.map((r) => r.score)));
}
