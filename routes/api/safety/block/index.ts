import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import { BLOCK_RATE_LIMIT, blockMember } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";

const BlockBody = z.object({ profileId: z.string().min(1).max(64) }).strict();

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * Blocks a member by profile id: hidden both ways, pending signals cancelled, a match ended. The
   * answer says nothing about the other member's signals. Rate limited per member.
   */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { profileId } = await readJsonAs(req, BlockBody);
    await enforceRateLimit(deps.cache, BLOCK_RATE_LIMIT, member.wallet);
    await blockMember(deps.kv, deps.clock, member.wallet, await walletOfProfile(deps, profileId));
    return json({ blocked: true, profileId });
  },
};
