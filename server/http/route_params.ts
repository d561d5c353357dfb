/**
 * The one schema for the parameters of route patterns (`/api/profiles/:id`, `/invite/:code`…):
 * each is checked at the edge, so a malformed or oversized id never reaches a KV key or the object
 * store and is answered 404 like any other unknown id.
 */
import { z } from "zod";
import { MAX_KEY_LENGTH } from "@/core/storage/validate.ts";

/** ULIDs (events, tickets, photos, profiles) and the other short ids: 1–64 URL-safe characters. */
const RouteId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/);

/** Route parameters by name; a name not listed here is an id (`RouteId`). */
export const RouteParams = z.object({
  /** A match: hex SHA-256 of the pair's wallets. */
  matchId: z.string().regex(/^[0-9a-f]{64}$/),
  /** An invite code as typed or shared: any case, grouped with dashes, dots or spaces. */
  code: z.string().regex(/^[0-9A-Za-z_.\s-]{1,32}$/),
  /** An ERC-721 token id (decimal uint256), optionally with the `.json` of a token URI. */
  tokenId: z.string().regex(/^[0-9]{1,78}(\.json)?$/),
  /** An object key (catch-all, "" for a listing); the object store checks its segments. */
  key: z.string().max(MAX_KEY_LENGTH),
}).partial().catchall(RouteId);

/** True when every parameter of a matched route is well formed. */
export function validRouteParams(params: Record<string, string>): boolean {
  return RouteParams.safeParse(params).success;
}
