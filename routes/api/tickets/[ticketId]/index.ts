import type { Handlers } from "$fresh/server.ts";
import { getTicket } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { NO_STORE, ticketJson, viewerOf } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** One of the member's tickets with its status (polled while its collectible is `adding`). */
  async GET(_req, ctx) {
    const { kv, config } = ctx.state.deps;
    const ticket = await getTicket(
      kv,
      ctx.params.ticketId,
      viewerOf(config, ctx.state.member.wallet),
    );
    return json({ ticket: ticketJson(ticket, ctx.state.deps.tickets !== null) }, {
      headers: NO_STORE,
    });
  },
};
