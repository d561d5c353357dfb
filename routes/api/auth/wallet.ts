import type { Handlers } from "$fresh/server.ts";
import { AUTH_RATE_LIMITS, signInWithWallet } from "@/core/auth/mod.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import type { AppState } from "@/server/deps.ts";
import { clientIp } from "@/server/http/client_ip.ts";
import { readJson } from "@/server/http/request_body.ts";
import { replaceSession } from "@/server/http/session_responses.ts";
import { sessionView } from "@/server/auth/session_view.ts";

export const handler: Handlers<unknown, AppState> = {
  async POST(req, ctx) {
    const { kv, clock, cache, chain, config } = ctx.state.deps;
    await enforceRateLimit(
      cache,
      AUTH_RATE_LIMITS.walletByIp,
      clientIp(req, ctx, config.trustProxy),
    );
    const payload = await readJson(req);
    const claimed = (payload as { address?: unknown } | null)?.address;
    if (typeof claimed === "string") {
      await enforceRateLimit(cache, AUTH_RATE_LIMITS.walletByWallet, claimed.toLowerCase());
    }
    const { member, session } = await signInWithWallet({
      kv,
      clock,
      chain,
      expected: { origin: config.publicOrigin ?? ctx.url.origin, chainId: config.chain.id },
      sessionTtlSeconds: config.sessionTtlSeconds,
    }, payload);
    const { user, membership } = sessionView(member);
    return await replaceSession(ctx, session.id, { user, membership });
  },
};
