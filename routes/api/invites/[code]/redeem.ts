import type { Handlers } from "$fresh/server.ts";
import { assertMayRedeem, enforceRedemptionLimits, redeemInvite } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { rotatedSession } from "@/server/http/session_responses.ts";
import { sessionView } from "@/server/auth/session_view.ts";
import { requestIpHash } from "@/server/social/invites.ts";
import { afterAdmissionChange } from "@/server/discovery/style_admission.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * Redeems a code for the signed-in, World ID–verified member (access `signed_in`): World ID is
   * checked before any limit is spent, then rate limited per member and per IP hash, then admitted
   * and the session rotated (admission changes privileges).
   */
  async POST(req, ctx) {
    const { kv, clock, cache } = ctx.state.deps;
    const wallet = ctx.state.member.wallet;
    await assertMayRedeem(kv, wallet);
    const ipHash = await requestIpHash(req, ctx, ctx.state.deps);
    await enforceRedemptionLimits(cache, { ipHash, claimantWallet: wallet });
    const redemption = await redeemInvite(kv, clock, {
      code: ctx.params.code,
      claimantWallet: wallet,
      ipHash,
    });
    await afterAdmissionChange(ctx.state.deps, redemption.member);
    return await rotatedSession(ctx, {
      ...sessionView(redemption.member),
      invite: { code: redemption.invite.code, claimedAt: redemption.claim.claimedAt },
    });
  },
};
