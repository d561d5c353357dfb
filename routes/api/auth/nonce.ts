import type { Handlers } from "$fresh/server.ts";
import { AUTH_RATE_LIMITS, issueNonce } from "@/core/auth/mod.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import type { AppState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { clientIp } from "@/server/http/client_ip.ts";

export const handler: Handlers<unknown, AppState> = {
  async GET(req, ctx) {
    const { kv, clock, cache, config } = ctx.state.deps;
    await enforceRateLimit(
      cache,
      AUTH_RATE_LIMITS.nonceByIp,
      clientIp(req, ctx, config.trustProxy),
    );
    const { nonce } = await issueNonce(kv, clock);
    return json({ nonce }, { headers: { "cache-control": "no-store" } });
  },
};
