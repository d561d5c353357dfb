/** Stored member events translated for the browser (`ClientEvent`): profile ids, never wallets. */
import type { MemberEvent } from "@/core/social/mod.ts";
import type { ClientEvent } from "@/core/social/live_events.ts";
import type { AppDeps } from "@/server/deps.ts";
import { profileSummaryOf } from "./profile_lookup.ts";

/** Translates a stored member event for the browser. */
export async function clientEvent(deps: AppDeps, event: MemberEvent): Promise<ClientEvent> {
  switch (event.type) {
    case "match": {
      const profile = await profileSummaryOf(deps, event.with);
      return {
        id: event.id,
        at: event.at,
        type: "match",
        matchId: event.pairId,
        profileId: profile?.id ?? null,
        displayName: profile?.displayName ?? null,
      };
    }
    case "match_ended":
      return { id: event.id, at: event.at, type: "match_ended", matchId: event.pairId };
    case "invite_claimed":
      return { id: event.id, at: event.at, type: "invite_claimed", inviteId: event.inviteId };
    default:
      return { id: event.id, at: event.at, type: "signal_received" };
  }
}
