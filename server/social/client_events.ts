/** Stored member events translated for the browser (`ClientEvent`): profile ids, never wallets. */
import { type MemberEvent, messageSchema } from "@/core/social/mod.ts";
import { messageKey, messageView, openThread } from "@/core/social/mod.ts";
import type { ClientEvent } from "@/core/social/live_events.ts";
import { photoUrl } from "@/components/profile/urls.ts";
import { NotFoundError } from "@/core/errors.ts";
import type { AppDeps } from "@/server/deps.ts";
import { profileSummaryOf } from "./profile_lookup.ts";

/** The message `messageId` of `wallet`'s thread `pairId` as they see it; null once it has closed. */
async function threadMessage(deps: AppDeps, wallet: string, pairId: string, messageId: string) {
  try {
    const thread = await openThread(deps.kv, wallet, pairId);
    const entry = await deps.kv.get(messageKey(thread.pairId, thread.matchedAt, messageId));
    return entry.versionstamp ? messageView(messageSchema.parse(entry.value), wallet) : null;
  } catch (error) {
    if (error instanceof NotFoundError) return null;
    throw error;
  }
}

/** Translates a stored member event of `wallet` for the browser. */
export async function clientEvent(
  deps: AppDeps,
  event: MemberEvent,
  wallet: string,
): Promise<ClientEvent> {
  switch (event.type) {
    case "match": {
      const [profile, own] = await Promise.all([
        profileSummaryOf(deps, event.with),
        profileSummaryOf(deps, wallet),
      ]);
      return {
        id: event.id,
        at: event.at,
        type: "match",
        matchId: event.pairId,
        profileId: profile?.id ?? null,
        displayName: profile?.displayName ?? null,
        photoUrl: profile?.photoId ? photoUrl(profile.id, profile.photoId, "full", "open") : null,
        ownPhotoUrl: own?.photoId ? photoUrl(own.id, own.photoId, "full", "open") : null,
      };
    }
    case "match_ended":
      return { id: event.id, at: event.at, type: "match_ended", matchId: event.pairId };
    case "invite_claimed":
      return { id: event.id, at: event.at, type: "invite_claimed", inviteId: event.inviteId };
    case "message":
      return {
        id: event.id,
        at: event.at,
        type: "message",
        matchId: event.pairId,
        message: await threadMessage(deps, wallet, event.pairId, event.messageId),
      };
    case "message_read":
      return {
        id: event.id,
        at: event.at,
        type: "message_read",
        matchId: event.pairId,
        messageId: event.messageId,
      };
    default:
      return { id: event.id, at: event.at, type: "signal_received" };
  }
}
