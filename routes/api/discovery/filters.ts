import type { Handlers } from "$fresh/server.ts";
import { savedFilters, saveFilters } from "@/core/discovery/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJson } from "@/server/http/request_body.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const filters = await savedFilters(ctx.state.deps.kv, ctx.state.member.wallet);
    return json({ filters }, { headers: { "cache-control": "private, no-store" } });
  },
  async POST(req, ctx) {
    const filters = await saveFilters(ctx.state.deps, ctx.state.member.wallet, await readJson(req));
    return json({ filters });
  },
};
