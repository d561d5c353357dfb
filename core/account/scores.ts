/**
 * KV prefixes of a member's photo analyses and scores, wherever the scoring pillar keeps them, so
 * the export shows them and deletion removes them. A new per-member prefix belongs here.
 */
import { photoAnalysisKey } from "@/core/scoring/photo_analysis.ts";

/** Prefixes holding scores of the profile or the wallet (score history, current scores). */
export function scorePrefixes(profileId: string | null, wallet: string): Deno.KvKey[] {
  const ids = profileId ? [profileId, wallet] : [wallet];
  return ids.flatMap((id) => [["score_history", id], ["scores", id]]);
}

/** The analysis key of every photo in `photoIds`. */
export function analysisKeys(photoIds: readonly string[]): Deno.KvKey[] {
  return photoIds.map(photoAnalysisKey);
}
