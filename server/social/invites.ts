/** Invite glue: the salted IP hash recorded with a claim and the World App invite link. */
import type { FreshContext } from "$fresh/server.ts";
import { type AppConfig, deriveSecret } from "@/core/config.ts";
import { hashIp, type InviteView } from "@/core/social/mod.ts";
import { clientIp } from "@/server/http/client_ip.ts";
import type { AppDeps } from "@/server/deps.ts";
import { profileSummaryOf } from "./profile_lookup.ts";

/** Purpose label of the invite-claim IP-hash salt (`deriveSecret`). */
export const INVITE_IP_SALT_PURPOSE = "invite-claim-ip-hash";

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

/** An invite as its owner is shown it: the claimant by profile id and display name, never a wallet. */
export interface InviteJson extends Omit<InviteView, "claimedBy"> {
  /** Who claimed the code (null while unclaimed, or when the claimant has no profile). */
  claimedBy: { profileId: string; displayName: string } | null;
  link: string;
}

/** The member-facing form of `invite`, with its World App link. */
export async function inviteJson(deps: AppDeps, invite: InviteView): Promise<InviteJson> {
  const claimant = invite.claimedBy ? await profileSummaryOf(deps, invite.claimedBy) : null;
  return {
    ...invite,
    claimedBy: claimant ? { profileId: claimant.id, displayName: claimant.displayName } : null,
    link: inviteLink(deps.config, invite.code),
  };
}
