import type { Handlers } from "$fresh/server.ts";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import { BLOCK_RATE_LIMIT, unblockMember } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Lifts the member's block (cancelled signals stay cancelled). Rate limited with blocking. */
  async DELETE(_req, ctx) {
    const { deps, member } = ctx.state;
    await enforceRateLimit(deps.cache, BLOCK_RATE_LIMIT, member.wallet);
    await unblockMember(deps.kv, member.wallet, await walletOfProfile(deps, ctx.params.profileId));
    return new Response(null, { status: 204 });
  },
};
