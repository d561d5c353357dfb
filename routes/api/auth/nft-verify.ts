import type { Handlers } from "$fresh/server.ts";
import { AUTH_RATE_LIMITS, refreshGateAdmission } from "@/core/auth/mod.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import { NotFoundError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { rotatedSession } from "@/server/http/session_responses.ts";
import { sessionView } from "@/server/auth/session_view.ts";
import { afterAdmissionChange } from "@/server/discovery/style_admission.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async POST(_req, ctx) {
    const { kv, clock, cache, gate } = ctx.state.deps;
    const wallet = ctx.state.member.wallet;
    await enforceRateLimit(cache, AUTH_RATE_LIMITS.nftVerifyByWallet, wallet);
    const result = await refreshGateAdmission({ kv, clock, gate }, wallet, { fresh: true });
    if (!result) throw new NotFoundError("member_not_found", "No member record for this session.");
    if (result.membershipChanged) await afterAdmissionChange(ctx.state.deps, result.member);
    const body = {
      holdsGateNft: result.gate.holdsGateNft,
      checkedAt: new Date(result.gate.checkedAt).toISOString(),
      membership: sessionView(result.member).membership,
    };
    return result.membershipChanged ? await rotatedSession(ctx, body) : json(body);
  },
};
