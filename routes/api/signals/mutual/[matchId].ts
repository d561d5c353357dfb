import type { Handlers } from "$fresh/server.ts";
import { unmatchById } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Ends one of the member's matches (404 `match_not_found` for any other id). */
  async DELETE(_req, ctx) {
    const { kv, clock } = ctx.state.deps;
    await unmatchById(kv, clock, ctx.state.member.wallet, ctx.params.matchId);
    return new Response(null, { status: 204 });
  },
};
