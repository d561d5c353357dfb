import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { BadRequestError, NotFoundError } from "@/core/errors.ts";
import { claimTicket, confirmTicketPayment, getEvent, listTickets } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { NO_STORE, ticketJson, viewerOf } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

/** The MiniKit `pay` success result the island forwards (paid events only). */
const ClaimBody = z.object({
  transaction_id: z.string().min(1).max(200).optional(),
  reference: z.string().min(1).max(64).optional(),
}).passthrough();

const ListQuery = z.object({
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

export const handler: Handlers<unknown, SignedInState> = {
  /** The member's own tickets to this event (admins: every ticket of it). */
  async GET(_req, ctx) {
    const { kv, config } = ctx.state.deps;
    await getEvent(kv, ctx.params.id);
    const { cursor, limit } = parseQuery(ctx.url, ListQuery);
    const page = await listTickets(kv, {
      viewer: viewerOf(config, ctx.state.member.wallet),
      eventId: ctx.params.id,
      cursor,
      limit,
    });
    return json({
      tickets: page.values.map((t) => ticketJson(t, ctx.state.deps.tickets !== null)),
      cursor: page.cursor,
    }, {
      headers: NO_STORE,
    });
  },
  /**
   * Claims a ticket (`Idempotency-Key` header required; a replay returns the same ticket with 200).
   * Free events: no body needed. Paid events: `{ transaction_id, reference }` from MiniKit `pay`,
   * confirmed with the developer portal before the ticket is recorded.
   */
  async POST(req, ctx) {
    const { kv, clock, payments } = ctx.state.deps;
    const wallet = ctx.state.member.wallet;
    const idempotencyKey = req.headers.get("idempotency-key");
    if (!idempotencyKey) {
      throw new BadRequestError(
        "idempotency_key_required",
        "Send an Idempotency-Key header with the claim.",
      );
    }
    // Free claims may have no body at all (or an empty one).
    const text = await req.text();
    const body = text.trim() === "" ? {} : await readJsonAs(
      new Request(req.url, { method: "POST", headers: req.headers, body: text }),
      ClaimBody,
    );
    const event = await getEvent(kv, ctx.params.id);
    let payment;
    if (event.price) {
      if (!body.transaction_id || !body.reference) {
        throw new BadRequestError(
          "payment_required",
          "This event needs a payment: send { transaction_id, reference } from MiniKit pay.",
        );
      }
      payment = await confirmTicketPayment(kv, payments, {
        eventId: event.id,
        wallet,
        reference: body.reference,
        transactionId: body.transaction_id,
      });
    }
    const { ticket, created } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey,
      payment,
    });
    if (!created && ticket.eventId !== event.id) {
      throw new NotFoundError("ticket_not_found", "No such ticket.");
    }
    return json({ ticket: ticketJson(ticket, ctx.state.deps.tickets !== null), created }, {
      status: created ? 201 : 200,
      headers: { ...NO_STORE, location: `/api/tickets/${ticket.id}` },
    });
  },
};
