/**
 * Where a member's photo analyses and scores live (the scoring domain's keys), so the export shows
 * them and deletion can sweep what a profile deletion left. A new per-member key belongs here.
 */
import {
  bestScoreKey,
  historyPrefix,
  latestScoreKey,
  leaderboardSettingsKey,
  photoAnalysisKey,
  photoOffsetKey,
} from "@/core/scoring/mod.ts";

/** The member's scoring records: prefixes to list (histories) and single keys. */
export function scoreKeys(
  profileId: string | null,
  photoIds: readonly string[],
): { prefixes: Deno.KvKey[]; keys: Deno.KvKey[] } {
  return {
    prefixes: photoIds.map(historyPrefix),
    keys: [
      ...photoIds.flatMap((id) => [latestScoreKey(id), photoOffsetKey(id)]),
      ...(profileId ? [bestScoreKey(profileId), leaderboardSettingsKey(profileId)] : []),
    ],
  };
}

/** The analysis key of every photo in `photoIds`. */
export function analysisKeys(photoIds: readonly string[]): Deno.KvKey[] {
  return photoIds.map(photoAnalysisKey);
}
