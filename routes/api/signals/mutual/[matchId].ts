import type { Handlers } from "$fresh/server.ts";
import { NotFoundError } from "../../../../core/errors.ts";
import { listMutual, unmatch } from "../../../../core/signals.ts";
import type { SignedInState } from "../../../../server/deps.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Ends one of the member's matches (404 `match_not_found` for any other id). */
  async DELETE(_req, ctx) {
    const { kv, clock } = ctx.state.deps;
    const me = ctx.state.member.wallet;
    const match = (await listMutual(kv, me)).find((m) => m.pairId === ctx.params.matchId);
    if (!match) throw new NotFoundError("match_not_found", "You are not matched.");
    await unmatch(kv, clock, me, match.with);
    return new Response(null, { status: 204 });
  },
};
