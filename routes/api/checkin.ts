import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { checkIn } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { adminTicketJson, requireAdmin } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const CheckInBody = z.object({
  token: z.string().min(1).max(200),
  eventId: z.string().max(40).optional(),
});

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * The admin scanner: `{ token }` → the ticket, marked used. 401 for a forged or expired code,
   * 409 `ticket_already_checked_in` the second time.
   */
  async POST(req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    requireAdmin(config, ctx.state.member.wallet);
    const { token, eventId } = await readJsonAs(req, CheckInBody);
    const ticket = await checkIn(kv, clock, token, config.tickets.checkinSecret, {
      expectedEventId: eventId,
      scannedBy: ctx.state.member.wallet,
    });
    return json({ ticket: adminTicketJson(ticket, ctx.state.deps.tickets !== null) });
  },
};
