import type { Handlers } from "$fresh/server.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import { createInvite, INVITE_RATE_LIMITS, listInvites } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { inviteJson } from "@/server/social/invites.ts";

const NO_STORE = { "cache-control": "private, no-store" };

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * The member's own codes, newest first, with their status and World App link; a claimed code names
   * its claimant by profile id and display name.
   */
  async GET(_req, ctx) {
    const { deps } = ctx.state;
    const invites = await listInvites(deps.kv, ctx.state.member.wallet, deps.clock);
    return json(
      { invites: await Promise.all(invites.map((invite) => inviteJson(deps, invite))) },
      { headers: NO_STORE },
    );
  },
  /** A new code (409 `invite_limit_reached` with three active). */
  async POST(_req, ctx) {
    const { deps } = ctx.state;
    const { kv, clock, cache, config } = deps;
    const wallet = ctx.state.member.wallet;
    await enforceRateLimit(cache, INVITE_RATE_LIMITS.createByWallet, wallet);
    const invite = await createInvite(kv, clock, wallet, { ttlMs: config.social.inviteTtlMs });
    return json(await inviteJson(deps, invite), {
      status: 201,
      headers: NO_STORE,
    });
  },
};
