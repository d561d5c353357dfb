import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { MAX_RECOMMENDED, recommendProfiles } from "@/core/discovery/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { recommendDeps } from "@/server/discovery/discovery_deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { signalStates } from "@/server/social/signal_states.ts";

const Query = z.strictObject({
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number")
    .min(1, "must be at least 1").max(MAX_RECOMMENDED, `must be at most ${MAX_RECOMMENDED}`)
    .optional(),
});

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const { limit } = parseQuery(ctx.url, Query);
    const { deps, member } = ctx.state;
    const page = await recommendProfiles(recommendDeps(deps), { viewer: member.wallet, limit });
    const signals = await signalStates(deps, member.wallet, page.values);
    return json({ ...page, signals }, { headers: { "cache-control": "private, no-store" } });
  },
};
