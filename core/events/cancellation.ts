/**
 * What cancelling an event owes its members: every ticket not yet used is refunded (the seat
 * freed, the token burned by the queue). `cancelEvent` enqueues the message in the commit that
 * cancels, so the refunds happen even if the process stops right after; running them twice
 * refunds nothing twice. Paid tickets keep their `payment`: the council pays those back.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError } from "@/core/errors.ts";
import { listTickets, refundTicket, type Ticket, type Viewer } from "./tickets.ts";

// The refunds are the organizer's, not a member's: they read every ticket of the event.
const ORGANIZER: Viewer = { wallet: "0x0000000000000000000000000000000000000000", admin: true };

/** What {@link refundCancelledEvent} did. */
export interface CancellationRefunds {
  refunded: Ticket[];
  /** Tickets already used at the door: nothing to give back. */
  checkedIn: number;
  /** Already refunded before (by the member, or an earlier run). */
  alreadyRefunded: number;
}

/** Refunds every unused ticket of the cancelled event `eventId`. */
export async function refundCancelledEvent(
  kv: Deno.Kv,
  clock: Clock,
  eventId: string,
): Promise<CancellationRefunds> {
  const out: CancellationRefunds = { refunded: [], checkedIn: 0, alreadyRefunded: 0 };
  const tickets: Ticket[] = [];
  let cursor = "";
  do {
    const page = await listTickets(kv, { viewer: ORGANIZER, eventId, cursor, limit: 100 });
    tickets.push(...page.values);
    cursor = page.cursor;
  } while (cursor);
  for (const ticket of tickets) {
    if (ticket.status === "refunded") {
      out.alreadyRefunded++;
      continue;
    }
    if (ticket.checkedInAt !== null) {
      out.checkedIn++;
      continue;
    }
    try {
      out.refunded.push(
        await refundTicket(kv, clock, {
          ticketId: ticket.id,
          viewer: ORGANIZER,
          cause: "event_cancelled",
        }),
      );
    } catch (error) {
      // Checked in between the listing and the refund.
      if (error instanceof ConflictError && error.code === "ticket_checked_in") out.checkedIn++;
      else throw error;
    }
  }
  return out;
}
