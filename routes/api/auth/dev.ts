import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { AUTH_RATE_LIMITS, DEV_PERSONAS, signInAsDevPersona } from "@/core/auth/mod.ts";
import { enforceRateLimit } from "@/core/cache/mod.ts";
import { NotFoundError } from "@/core/errors.ts";
import type { AppState } from "@/server/deps.ts";
import { clientIp } from "@/server/http/client_ip.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { replaceSession } from "@/server/http/session_responses.ts";
import { sessionView } from "@/server/auth/session_view.ts";

const DevSignIn = z.object({ persona: z.string().min(1).max(40) });

function assertEnabled(enabled: boolean) {
  // Outside development the endpoint does not exist.
  if (!enabled) throw new NotFoundError("not_found", "No endpoint at /api/auth/dev.");
}

export const handler: Handlers<unknown, AppState> = {
  GET(_req, ctx) {
    assertEnabled(ctx.state.deps.config.devSignIn);
    const personas = DEV_PERSONAS.map(({ id, label, description }) => ({ id, label, description }));
    return json({ personas });
  },
  async POST(req, ctx) {
    const { kv, clock, cache, config } = ctx.state.deps;
    assertEnabled(config.devSignIn);
    await enforceRateLimit(cache, AUTH_RATE_LIMITS.devByIp, clientIp(req, ctx, config.trustProxy));
    const { persona } = await readJsonAs(req, DevSignIn);
    const { member, session } = await signInAsDevPersona(
      { kv, clock, enabled: true, sessionTtlSeconds: config.sessionTtlSeconds },
      persona,
    );
    const { user, membership } = sessionView(member);
    return await replaceSession(ctx, session.id, { user, membership });
  },
};
