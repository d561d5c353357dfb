/**
 * HTTP glue for invites, signals and safety (issue 6): profile id ↔ wallet (clients only ever
 * name profiles, never wallets), the salted IP hash for invite claims, the World App invite link,
 * and the client-facing shapes of matches and member events.
 */
import type { FreshContext } from "$fresh/server.ts";
import { deriveSecret } from "@/core/config.ts";
import { NotFoundError } from "@/core/errors.ts";
import { hashIp, listSent, type MatchView } from "@/core/social/mod.ts";
import type { MemberEvent } from "@/core/social/mod.ts";
import { getProfile, profileIdOf } from "@/core/profiles/profiles.ts";
import type { Profile } from "@/core/profiles/schema.ts";
import type { AppConfig } from "@/core/config.ts";
import { clientIp } from "./client_ip.ts";
import type { AppDeps } from "./deps.ts";
import type { ClientEvent } from "@/core/social/live_events.ts";

/** Purpose label of the invite-claim IP-hash salt (`deriveSecret`). */
export const INVITE_IP_SALT_PURPOSE = "invite-claim-ip-hash";

/** The profile `profileId` (NotFoundError `profile_not_found`). */
export async function profileOrNotFound(deps: AppDeps, profileId: string): Promise<Profile> {
  const profile = /^[0-9A-Za-z_-]{1,64}$/.test(profileId)
    ? await getProfile({ kv: deps.kv, clock: deps.clock, cache: deps.cache }, profileId)
    : null;
  if (!profile) throw new NotFoundError("profile_not_found", "No such profile.");
  return profile;
}

/** The wallet behind a profile id, resolved on the server (NotFoundError `profile_not_found`). */
export async function walletOfProfile(deps: AppDeps, profileId: string): Promise<string> {
  return (await profileOrNotFound(deps, profileId)).wallet;
}

/** The salted hash of the client's IP recorded with an invite claim (never the IP itself). */
export async function requestIpHash(req: Request, ctx: FreshContext, deps: AppDeps) {
  const salt = deriveSecret(deps.config.appSecret, INVITE_IP_SALT_PURPOSE);
  return await hashIp(clientIp(req, ctx, deps.config.trustProxy), salt);
}

/** The path of the redeem landing page for a code. */
export function invitePath(code: string): string {
  return `/invite/${encodeURIComponent(code)}`;
}

/** A link that opens the mini-app in World App on the invite's landing page, code prefilled. */
export function inviteLink(config: AppConfig, code: string): string {
  const params = new URLSearchParams({ app_id: config.worldId.appId, path: invitePath(code) });
  return `https://worldcoin.org/mini-app?${params}`;
}

/** What a member is shown about a match: the other profile (no wallet), for a link and a card. */
export interface MatchSummary {
  matchId: string;
  matchedAt: number;
  profile: { id: string; displayName: string; photoId: string | null } | null;
}

/** The other member's profile summary for a match (null when they have no profile). */
async function profileSummary(deps: AppDeps, wallet: string) {
  const id = await profileIdOf(deps.kv, wallet);
  const profile = id ? await getProfile(deps, id) : null;
  if (!profile) return null;
  return {
    id: profile.id,
    displayName: profile.displayName,
    photoId: profile.photos[0]?.id ?? null,
  };
}

/** Matches as the member sees them. */
export async function summarizeMatches(
  deps: AppDeps,
  matches: MatchView[],
): Promise<MatchSummary[]> {
  return await Promise.all(matches.map(async (match) => ({
    matchId: match.pairId,
    matchedAt: match.matchedAt,
    profile: await profileSummary(deps, match.with),
  })));
}

/** Translates a stored member event for the browser. */
export async function clientEvent(deps: AppDeps, event: MemberEvent): Promise<ClientEvent> {
  switch (event.type) {
    case "match": {
      const profile = await profileSummary(deps, event.with);
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

/** Where the member stands with each profile: `matched`, `sent` (pending) or `none`. */
export async function signalStates(
  deps: AppDeps,
  wallet: string,
  profiles: { id: string }[],
): Promise<Record<string, "none" | "sent" | "matched">> {
  const sent = await listSent(deps.kv, wallet);
  const byProfile = new Map<string | null, boolean>(
    await Promise.all(
      sent.map(async (signal) => [await profileIdOf(deps.kv, signal.to), signal.matched] as const),
    ),
  );
  return Object.fromEntries(profiles.map((profile) => {
    const matched = byProfile.get(profile.id);
    return [profile.id, matched === undefined ? "none" : matched ? "matched" : "sent"];
  }));
}
