/** The filtered discovery list as JSON, answered by `GET /api/discovery/profiles` and `GET /api/profiles`. */
import { z } from "zod";
import { browseProfiles } from "@/core/discovery/mod.ts";
import { FILTER_PARAM_LISTS, filterQuerySchema, MAX_PAGE_SIZE } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { profileDeps } from "@/server/profiles/profile_deps.ts";
import { signalStates } from "@/server/social/signal_states.ts";

const PageQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number")
    .min(1, "must be at least 1").max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`)
    .optional(),
});

/**
 * A page of other members' profiles for the query of `url` (the saved filters when it gives
 * none), with where the viewer stands with each (`none`, `sent`, `matched`) for the signal buttons.
 */
export async function browseResponse(url: URL, state: SignedInState): Promise<Response> {
  const { cursor, limit } = parseQuery(url, PageQuery);
  const filters = parseQuery(url, filterQuerySchema, FILTER_PARAM_LISTS);
  const { deps, member } = state;
  const page = await browseProfiles(profileDeps(deps), {
    viewer: member.wallet,
    cursor,
    limit,
    filters,
  });
  const signals = await signalStates(deps, member.wallet, page.values);
  return json({ ...page, signals }, { headers: { "cache-control": "private, no-store" } });
}
