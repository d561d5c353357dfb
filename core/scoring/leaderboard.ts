/**
 * The opt-in leaderboard. Scores are private by default: a member appears only after choosing to,
 * scoring never opts anyone in, and opting out removes the entry in the same commit. The index
 * `["leaderboard", rankKey, profileId]` is kept in the commits that change a member's best score
 * or choice (see `score_records.ts`), so a listing reads it in order instead of scanning scores.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError, NotFoundError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { getMember, normalizeWallet } from "@/core/members.ts";
import { getProfile, profileIdOf, type PublicProfileView, viewFor } from "@/core/profiles/mod.ts";
import { getMatch, isBlocked } from "@/core/social/mod.ts";
import {
  bestScoreKey,
  leaderboardSettingsKey,
  readBest,
  readLeaderboardSettings,
  scoreOfRankKey,
  writeLeaderboardChoice,
} from "./score_records.ts";

/** What the leaderboard functions need. */
export interface LeaderboardDeps {
  kv: Deno.Kv;
  clock: Clock;
}

/** Most entries one listing returns. */
export const MAX_LEADERBOARD = 100;

/**
 * Sets the member's own leaderboard choice (their entry appears or leaves at once). NotFoundError
 * `profile_not_found` without a profile; ConflictError `leaderboard_contended`.
 */
export async function setLeaderboardOptIn(
  deps: LeaderboardDeps,
  { wallet, optIn }: { wallet: string; optIn: boolean },
): Promise<{ optIn: boolean }> {
  const profileId = await profileIdOf(deps.kv, wallet);
  if (!profileId) throw new NotFoundError("profile_not_found", "Create your profile first.");
  return await commitWithRetry(
    async () => {
      const [settings, seen] = await Promise.all([
        readLeaderboardSettings(deps.kv, profileId),
        readBest(deps.kv, profileId),
      ]);
      const op = deps.kv.atomic()
        .check({ key: leaderboardSettingsKey(profileId), versionstamp: settings.versionstamp })
        .check({ key: bestScoreKey(profileId), versionstamp: seen.versionstamp });
      writeLeaderboardChoice(op, profileId, optIn, seen.best, deps.clock.now());
      return { op, value: { optIn } };
    },
    () => new ConflictError("leaderboard_contended", "Your scores are changing; try again."),
  );
}

/** One leaderboard row: the member's best photo score and their profile as the viewer may see it. */
export interface LeaderboardEntry {
  rank: number;
  score: number;
  profile: PublicProfileView;
}

/**
 * Opted-in members by their best photo's latest score, best first, as `viewer` may see them:
 * members blocked either way are left out, hidden profiles unless matched. Ranks count the rows
 * the viewer sees.
 */
export async function listLeaderboard(
  deps: LeaderboardDeps,
  { viewer, limit }: { viewer: string; limit: number },
): Promise<LeaderboardEntry[]> {
  const who = normalizeWallet(viewer);
  const now = deps.clock.now();
  const entries: LeaderboardEntry[] = [];
  for await (const entry of deps.kv.list({ prefix: ["leaderboard"] })) {
    if (entries.length >= limit) break;
    const [, rankKey, profileId] = entry.key;
    if (typeof rankKey !== "number" || typeof profileId !== "string") continue;
    const profile = await getProfile(deps, profileId);
    if (!profile || profile.photos.length === 0) continue;
    const own = profile.wallet === who;
    if (!own && await isBlocked(deps.kv, who, profile.wallet)) continue;
    const matched = !own && (await getMatch(deps.kv, who, profile.wallet)) !== null;
    if (profile.hidden && !own && !matched) continue;
    const member = await getMember(deps.kv, profile.wallet);
    entries.push({
      rank: entries.length + 1,
      score: scoreOfRankKey(rankKey),
      profile: viewFor(profile, { viewer: who, matched, now, member }),
    });
  }
  return entries;
}
