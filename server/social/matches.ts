/** Matches as the member sees them: the other profile's summary (never its wallet) and the thread. */
import { lastMessage, type MatchView, unreadCounts } from "@/core/social/mod.ts";
import type { ThreadMessage } from "@/core/social/live_events.ts";
import type { AppDeps } from "@/server/deps.ts";
import { type ProfileSummary, profileSummaryOf } from "./profile_lookup.ts";

/** What a member is shown about a match: the other profile (no wallet) and the conversation. */
export interface MatchSummary {
  matchId: string;
  matchedAt: number;
  profile: ProfileSummary | null;
  /** The conversation's newest message, for a preview. */
  lastMessage: ThreadMessage | null;
  /** Messages from the other member not read yet. */
  unread: number;
}

/** Matches of `wallet` as they see them. */
export async function summarizeMatches(
  deps: AppDeps,
  wallet: string,
  matches: MatchView[],
): Promise<MatchSummary[]> {
  const unread = await unreadCounts(deps.kv, wallet);
  return await Promise.all(matches.map(async (match) => ({
    matchId: match.pairId,
    matchedAt: match.matchedAt,
    profile: await profileSummaryOf(deps, match.with),
    lastMessage: await lastMessage(deps.kv, { ...match, me: wallet }),
    unread: unread.byMatch[match.pairId] ?? 0,
  })));
}
