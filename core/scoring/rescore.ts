/**
 * Rescoring after a model change: every photo whose latest score was computed by another model
 * version than the current one is scored again from its stored analysis, the current weights and
 * its community offset, through the same commit as a member's own scoring (latest score, history
 * entry with the new `modelVersion`, histogram, best and leaderboard move together).
 */
import type { Analysis } from "@/ml-wasm/mod.ts";
import { NotFoundError } from "@/core/errors.ts";
import { readPhotoAnalysis } from "./photo_analysis.ts";
import { photoScoreSchema } from "./score_records.ts";
import { commitPhotoScore, currentModel, readPhotoOffset, type ScoringDeps } from "./scores.ts";

/** What rescoring needs. */
export type RescoreDeps = Pick<ScoringDeps, "kv" | "clock"> & {
  ml: Pick<ScoringDeps["ml"], "scorePhoto" | "defaultModel">;
};

/** What a rescoring did (or, with `dryRun`, would do). */
export interface RescoreReport {
  dryRun: boolean;
  version: string;
  /** Photos with a latest score. */
  scored: number;
  /** Of those, scored by another model version. */
  stale: number;
  rescored: number;
  /** Stale photos left as they are: deleted meanwhile, or without a stored analysis. */
  skipped: number;
}

/** Rescores every photo whose latest score's model version is not the current model's. */
export async function rescoreStalePhotos(
  deps: RescoreDeps,
  { dryRun = false }: { dryRun?: boolean } = {},
): Promise<RescoreReport> {
  const model = await currentModel(deps);
  const stale: { photoId: string; profileId: string }[] = [];
  let scored = 0;
  for await (const entry of deps.kv.list({ prefix: ["photo_scores"] }, { batchSize: 500 })) {
    const latest = photoScoreSchema.parse(entry.value);
    scored++;
    if (latest.modelVersion !== model.version) {
      stale.push({ photoId: latest.photoId, profileId: latest.profileId });
    }
  }
  const report: RescoreReport = {
    dryRun,
    version: model.version,
    scored,
    stale: stale.length,
    rescored: 0,
    skipped: 0,
  };
  if (dryRun) return report;
  for (const { photoId, profileId } of stale) {
    const analysis = await readPhotoAnalysis(deps.kv, photoId);
    if (!analysis) {
      report.skipped++;
      continue;
    }
    const breakdown = await deps.ml.scorePhoto(
      { features: analysis.features as Analysis["features"], flags: analysis.flags },
      model,
      await readPhotoOffset(deps.kv, photoId),
    );
    try {
      await commitPhotoScore(deps, { photoId, profileId, breakdown });
      report.rescored++;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
      report.skipped++;
    }
  }
  return report;
}
