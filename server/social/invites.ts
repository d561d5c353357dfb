/** Invite glue: the salted IP hash recorded with a claim and the World App invite link. */
import type { FreshContext } from "$fresh/server.ts";
import { type AppConfig, deriveSecret } from "@/core/config.ts";
import { hashIp } from "@/core/social/mod.ts";
import { clientIp } from "@/server/http/client_ip.ts";
import type { AppDeps } from "@/server/deps.ts";

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
