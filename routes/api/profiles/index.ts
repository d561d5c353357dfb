import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import {
  createProfile,
  FILTER_PARAM_LISTS,
  filterQuerySchema,
  listProfiles,
  MAX_PAGE_SIZE,
} from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJson } from "@/server/http/request_body.ts";
import { signalStates } from "@/server/social/signal_states.ts";

const PageQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(
    1,
    "must be at least 1",
  )
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`).optional(),
});

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const { cursor, limit } = parseQuery(ctx.url, PageQuery);
    const filters = parseQuery(ctx.url, filterQuerySchema, FILTER_PARAM_LISTS);
    const { deps, member } = ctx.state;
    const page = await listProfiles(profileDeps(deps), {
      viewer: member.wallet,
      cursor,
      limit,
      filters,
    });
    // Where the viewer stands with each member (`none`, `sent`, `matched`), for the cards'
    // SignalButton; what others sent the viewer stays secret.
    const signals = await signalStates(deps, member.wallet, page.values);
    return json({ ...page, signals }, { headers: { "cache-control": "private, no-store" } });
  },
  async POST(req, ctx) {
    const input = await readJson(req);
    const profile = await createProfile(
      profileDeps(ctx.state.deps),
      ctx.state.member.wallet,
      input,
    );
    return json({ profile: ownProfileView(ctx.state, profile) }, { status: 201 });
  },
};
