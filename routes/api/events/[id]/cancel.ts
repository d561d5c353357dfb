import type { Handlers } from "$fresh/server.ts";
import { cancelEvent } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { eventJson, requireAdmin } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * Admin only: cancels the event (no more claims; the queue refunds its unused tickets).
   * Cancelling twice is a no-op.
   */
  async POST(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    requireAdmin(config, ctx.state.member.wallet);
    return json({ event: eventJson(await cancelEvent(kv, clock, ctx.params.id)) });
  },
};
