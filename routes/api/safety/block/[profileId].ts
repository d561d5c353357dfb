import type { Handlers } from "$fresh/server.ts";
import { unblockMember } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Lifts the member's block (cancelled signals stay cancelled). */
  async DELETE(_req, ctx) {
    const { deps, member } = ctx.state;
    await unblockMember(deps.kv, member.wallet, await walletOfProfile(deps, ctx.params.profileId));
    return new Response(null, { status: 204 });
  },
};
