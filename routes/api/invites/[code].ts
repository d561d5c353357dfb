import type { Handlers } from "$fresh/server.ts";
import { revokeInvite } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { inviteJson } from "@/server/social/invites.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Revokes one of the member's own codes (404 for anyone else's, 409 once used). */
  async DELETE(_req, ctx) {
    const { deps } = ctx.state;
    const invite = await revokeInvite(
      deps.kv,
      deps.clock,
      ctx.state.member.wallet,
      ctx.params.code,
    );
    return json(await inviteJson(deps, invite), {
      headers: { "cache-control": "private, no-store" },
    });
  },
};
