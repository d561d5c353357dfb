/**
 * Who may reach which route. Secure by default: a route not listed here is for admitted members
 * only, so a new route is protected until someone decides otherwise (and the access test, which
 * walks the manifest, checks every one).
 */
import { isSignedObjectUrl } from "@/core/storage/signed_url.ts";

/** `public`: anyone; `signed_in`: any session; `member`: a session of an admitted member. */
export type Access = "public" | "signed_in" | "member";

const POLICY: Record<string, Access> = {
  "/": "public",
  "/signin": "public",
  "/metrics": "public", // guarded by METRICS_TOKEN when set
  "/api/health": "public",
  "/api/auth/nonce": "public",
  "/api/auth/wallet": "public",
  "/api/auth/dev": "public",
  "/api/auth/logout": "public",
  "/api/objects/:key*": "public", // redirects old signed URLs to /api/storage/…
  "/api/tickets/metadata/:tokenId": "public", // ERC-721 tokenURI: wallets and marketplaces
  "/gate": "signed_in",
  "/api/auth/session": "signed_in",
  "/api/auth/worldid": "signed_in",
  "/api/auth/nft-verify": "signed_in",
  "/api/invites/:code/redeem": "signed_in", // World ID–verified, not yet admitted: redeem to enter
  "/invite/:code": "public", // the invite landing explains, then redeems after sign-in
};

/** Routes where a signed URL (`?sig=`) stands in for a session: the route verifies the signature. */
const SIGNED_URL_ROUTES = new Set(["/api/storage/:key*"]);

/**
 * The access level of a route pattern (`ctx.route`) for a request to `url`; unlisted routes are
 * members-only.
 */
export function accessFor(routePattern: string, url?: URL): Access {
  if (url && SIGNED_URL_ROUTES.has(routePattern) && isSignedObjectUrl(url)) return "public";
  return POLICY[routePattern] ?? "member";
}
