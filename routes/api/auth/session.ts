import type { Handlers } from "$fresh/server.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { sessionView } from "@/server/auth/session_view.ts";

export const handler: Handlers<unknown, SignedInState> = {
  GET(_req, ctx) {
    return json(sessionView(ctx.state.member), { headers: { "cache-control": "no-store" } });
  },
};
