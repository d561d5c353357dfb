import type { Handlers } from "$fresh/server.ts";
import { ServiceUnavailableError } from "@/core/errors.ts";
import { initiatePayment } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { NO_STORE } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Starts a paid claim: returns the MiniKit `pay` input (`{ reference, to, tokens, description }`). */
  async POST(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const recipient = config.tickets.paymentRecipient;
    if (!recipient) {
      // Members read this message; the code tells an operator that PAYMENT_RECIPIENT is unset.
      throw new ServiceUnavailableError(
        "payments_not_configured",
        "Tickets cannot be bought yet: payments are not set up. Please try again later.",
      );
    }
    const pay = await initiatePayment(kv, clock, {
      eventId: ctx.params.id,
      wallet: ctx.state.member.wallet,
      recipient,
    });
    return json({ pay }, { status: 201, headers: NO_STORE });
  },
};
