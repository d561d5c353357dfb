import type { Handlers } from "$fresh/server.ts";
import { listMutual } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { summarizeMatches } from "@/server/social/matches.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** The member's mutual matches, newest first, with the other profile's id for links. */
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const matches = await summarizeMatches(
      deps,
      member.wallet,
      await listMutual(deps.kv, member.wallet),
    );
    return json({ matches }, { headers: { "cache-control": "private, no-store" } });
  },
};
