import type { Handlers } from "$fresh/server.ts";
import { getTicket, issueCheckInToken } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { NO_STORE } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** A fresh short-lived check-in token for the holder's own ticket (the QR payload). */
  async GET(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const ticket = await getTicket(kv, ctx.params.ticketId, { wallet: ctx.state.member.wallet });
    const { token, expiresAt } = await issueCheckInToken(
      ticket,
      config.tickets.checkinSecret,
      clock,
    );
    return json({ token, expiresAt: new Date(expiresAt).toISOString() }, { headers: NO_STORE });
  },
};
