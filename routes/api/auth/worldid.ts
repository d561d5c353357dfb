import type { Handlers } from "$fresh/server.ts";
import { AUTH_RATE_LIMITS, verifyPersonhood } from "@/core/auth/mod.ts";
import { departedNullifierSecret } from "@/core/account/mod.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { clientIp } from "@/server/http/client_ip.ts";
import { readJson } from "@/server/http/request_body.ts";
import { rotatedSession } from "@/server/http/session_responses.ts";
import { sessionView } from "@/server/auth/session_view.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async POST(req, ctx) {
    const { kv, clock, cache, portal, config } = ctx.state.deps;
    const wallet = ctx.state.member.wallet;
    await enforceRateLimit(
      cache,
      AUTH_RATE_LIMITS.worldIdByIp,
      clientIp(req, ctx, config.trustProxy),
    );
    await enforceRateLimit(cache, AUTH_RATE_LIMITS.worldIdByWallet, wallet);
    const { member, outcome } = await verifyPersonhood(
      { kv, clock, portal, departedSecret: departedNullifierSecret(config.appSecret) },
      wallet,
      await readJson(req),
    );
    return await rotatedSession(ctx, { ...sessionView(member), outcome });
  },
};
