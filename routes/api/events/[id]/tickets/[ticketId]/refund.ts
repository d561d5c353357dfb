import type { Handlers } from "$fresh/server.ts";
import { NotFoundError } from "@/core/errors.ts";
import { getTicket, refundTicket } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { ticketJson, viewerOf } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Refunds the ticket before the event starts (409 `refund_window_closed` from the start on). */
  async POST(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const viewer = viewerOf(config, ctx.state.member.wallet);
    const ticket = await getTicket(kv, ctx.params.ticketId, viewer);
    if (ticket.eventId !== ctx.params.id) {
      throw new NotFoundError("ticket_not_found", "No such ticket.");
    }
    const refunded = await refundTicket(kv, clock, { ticketId: ticket.id, viewer });
    return json({ ticket: ticketJson(refunded, ctx.state.deps.tickets !== null) });
  },
};
