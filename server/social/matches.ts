/** Matches as the member sees them: the other profile's summary, never its wallet. */
import type { MatchView } from "@/core/social/mod.ts";
import type { AppDeps } from "@/server/deps.ts";
import { type ProfileSummary, profileSummaryOf } from "./profile_lookup.ts";

/** What a member is shown about a match: the other profile (no wallet), for a link and a card. */
export interface MatchSummary {
  matchId: string;
  matchedAt: number;
  profile: ProfileSummary | null;
}

/** Matches as the member sees them. */
export async function summarizeMatches(
  deps: AppDeps,
  matches: MatchView[],
): Promise<MatchSummary[]> {
  return await Promise.all(matches.map(async (match) => ({
    matchId: match.pairId,
    matchedAt: match.matchedAt,
    profile: await profileSummaryOf(deps, match.with),
  })));
}
