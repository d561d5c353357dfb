/**
 * Who may reach which route. Secure by default: a route not listed here is for admitted members
 * only, so a new route is protected until someone decides otherwise (and the access test, which
 * walks the manifest, checks every one).
 */

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
  "/api/objects/:key*": "public", // the URL's signature is the authorization
  "/api/tickets/metadata/:tokenId": "public", // ERC-721 tokenURI: wallets and marketplaces
  "/gate": "signed_in",
  "/api/auth/session": "signed_in",
  "/api/auth/worldid": "signed_in",
  "/api/auth/nft-verify": "signed_in",
  "/api/invites/:code/redeem": "signed_in", // World ID–verified, not yet admitted: redeem to enter
  "/invite/:code": "public", // the invite landing explains, then redeems after sign-in
};

/** The access level of a route pattern (`ctx.route`); unlisted routes are members-only. */
export function accessFor(routePattern: string): Access {
  return POLICY[routePattern] ?? "member";
}
