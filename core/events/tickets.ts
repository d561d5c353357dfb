/**
 * Claiming and refunding tickets. Capacity is enforced with one KV key per seat
 * (`["event_seats", eventId, seat]`, 1…maxTickets): a claim takes a free seat with a versionstamp
 * check, so two claims can never hold the same seat and no event is ever oversold, while concurrent
 * claims mostly touch different keys. The held-ticket count (`["event_counts", eventId]`) moves
 * by `sum` in the same commit. The ticket is recorded `pending_mint` and its mint job is enqueued
 * in that same commit, so a ticket always has a job and a job always has a ticket.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  UnprocessableError,
} from "@/core/errors.ts";
import { commitWithRetry, getMany } from "@/core/kv.ts";
import { eventKeys, type EventRecord, readEvent, readTicketCount, seatSchema } from "./events.ts";
import { normalizeWallet } from "@/core/members.ts";
import { type ConfirmedPayment, paymentKeys, paymentReferenceSchema } from "./payments.ts";
import {
  type BurnJob,
  jobEnqueueOptions,
  type MintJob,
  readTicket,
  type Ticket,
  ticketKeys,
  ticketSchema,
  ticketTokenId,
} from "./ticket_records.ts";
import { isUlid, ulid } from "@/core/ulid.ts";

export { checkIn, issueCheckInToken } from "./checkin.ts";
export type { Ticket, TicketStatus } from "./ticket_records.ts";

const CLAIM_KEY_TTL_MS = 24 * 3600 * 1000;
const MAX_CLAIM_ATTEMPTS = 200;
const MINUS_ONE = new Deno.KvU64(0xffff_ffff_ffff_ffffn); // sum wraps modulo 2^64

/** Input of {@link claimTicket}. */
export interface ClaimTicketInput {
  eventId: string;
  wallet: string;
  /** Client-chosen key (8–128 of A-Z a-z 0-9 _ - . :): replaying a claim returns the same ticket. */
  idempotencyKey: string;
  /** Required for paid events: the result of `confirmTicketPayment`. */
  payment?: ConfirmedPayment;
}

/** Options shared by claims and refunds. */
export interface TicketJobOptions {
  /** Queue redelivery schedule for the enqueued job (default DEFAULT_QUEUE_BACKOFF_MS). */
  queueBackoffMs?: number[];
}

const idempotencyKeySchema = z.string().regex(
  /^[A-Za-z0-9_.:-]{8,128}$/,
  "idempotencyKey must be 8–128 characters of A-Z a-z 0-9 _ - . :",
);

/** A uniformly random integer in [0, bound) from crypto.getRandomValues. */
function randomBelow(bound: number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  const word = new Uint32Array(1);
  do crypto.getRandomValues(word); while (word[0] >= limit);
  return word[0] % bound;
}

/** Waits a random few milliseconds, growing with the attempt, so contending claims spread out. */
function contentionPause(attempt: number): Promise<void> {
  if (attempt === 0) return Promise.resolve();
  const ms = randomBelow(Math.min(50, 2 + attempt * 2));
  return new Promise((resolve) => setTimeout(resolve, ms));
}

interface FreeSeat {
  seat: number;
  generation: number;
  versionstamp: string | null;
}

/** Finds a free seat, scanning from a random seat and wrapping around; null when all are held. */
async function findFreeSeat(
  kv: Deno.Kv,
  eventId: string,
  maxTickets: number,
): Promise<FreeSeat | null> {
  const start = 1 + randomBelow(maxTickets);
  for (const [from, to] of [[start, maxTickets + 1], [1, start]]) {
    let expected = from;
    const seats = kv.list({
      start: eventKeys.seat(eventId, from),
      end: eventKeys.seat(eventId, to),
    }, {
      batchSize: 200,
    });
    for await (const entry of seats) {
      const number = z.number().int().parse(entry.key[2]);
      if (number > expected) return { seat: expected, generation: 1, versionstamp: null };
      const seat = seatSchema.parse(entry.value);
      if (seat.ticketId === null) {
        return { seat: number, generation: seat.generation + 1, versionstamp: entry.versionstamp };
      }
      expected = number + 1;
    }
    if (expected < to) return { seat: expected, generation: 1, versionstamp: null };
  }
  return null;
}

/** Refuses claims on events that are gone, closed, or priced differently from the payment. */
function assertClaimable(event: EventRecord, now: number, payment: ConfirmedPayment | undefined) {
  if (event.status === "cancelled") {
    throw new ConflictError("event_cancelled", "This event was cancelled.");
  }
  if (now >= event.endsAt) throw new ConflictError("event_ended", "This event has ended.");
  if (!event.price) {
    if (payment) throw new BadRequestError("payment_not_needed", "This event is free.");
    return;
  }
  if (!payment) {
    throw new BadRequestError("payment_required", "This event needs a confirmed payment.");
  }
  if (
    payment.token !== event.price.token || BigInt(payment.amount) !== BigInt(event.price.amount)
  ) {
    throw new UnprocessableError(
      "payment_wrong_amount",
      "The payment does not match the ticket price.",
    );
  }
}

/**
 * Claims a ticket: never oversells, one live ticket per member per event (ConflictError
 * `ticket_already_held`), `event_sold_out`, `event_cancelled`, `event_ended`; paid events need a
 * confirmed payment of the event's price, used at most once (`payment_already_used`). The ticket is
 * recorded `pending_mint` and its mint job enqueued in the same commit. Replaying an idempotency key
 * returns the ticket it created with `created: false`.
 */
export async function claimTicket(
  kv: Deno.Kv,
  clock: Clock,
  input: ClaimTicketInput,
  options: TicketJobOptions = {},
): Promise<{ ticket: Ticket; created: boolean }> {
  const wallet = normalizeWallet(input.wallet);
  const keyCheck = idempotencyKeySchema.safeParse(input.idempotencyKey);
  if (!keyCheck.success) {
    throw new BadRequestError("invalid_idempotency_key", keyCheck.error.issues[0].message);
  }
  if (!isUlid(input.eventId)) throw new NotFoundError("event_not_found", "No such event.");
  const claimKey = ticketKeys.claim(wallet, input.idempotencyKey);

  return await commitWithRetry<{ ticket: Ticket; created: boolean }>(
    async () => {
      const [claimed, holder] = await kv.getMany([
        claimKey,
        ticketKeys.holder(input.eventId, wallet),
      ]);
      if (claimed.versionstamp !== null) {
        const { ticket } = await readTicket(kv, z.string().parse(claimed.value));
        if (!ticket || ticket.eventId !== input.eventId) {
          throw new ConflictError(
            "idempotency_key_reused",
            "This idempotency key was used for another claim.",
          );
        }
        return { value: { ticket, created: false } };
      }
      const { event, versionstamp: eventVersion } = await readEvent(kv, input.eventId);
      if (!event) throw new NotFoundError("event_not_found", "No such event.");
      const now = clock.now();
      assertClaimable(event, now, input.payment);
      const atomic = kv.atomic();
      let paymentRecord = null;
      if (input.payment) {
        const entry = await kv.get(paymentKeys.reference(input.payment.reference));
        paymentRecord = entry.versionstamp === null
          ? null
          : paymentReferenceSchema.parse(entry.value);
        if (
          !paymentRecord || paymentRecord.wallet !== wallet || paymentRecord.eventId !== event.id
        ) {
          throw new ForbiddenError(
            "payment_reference_not_yours",
            "This payment reference is not yours.",
          );
        }
        if (paymentRecord.ticketId !== null) {
          throw new ConflictError("payment_already_used", "This payment already bought a ticket.");
        }
        atomic.check(entry).check({
          key: paymentKeys.used(input.payment.transactionId),
          versionstamp: null,
        });
      }
      if (holder.versionstamp !== null) {
        throw new ConflictError("ticket_already_held", "You already hold a ticket to this event.");
      }
      const { count } = await readTicketCount(kv, event.id);
      if (count >= event.maxTickets) {
        throw new ConflictError("event_sold_out", "This event is sold out.");
      }
      const free = await findFreeSeat(kv, event.id, event.maxTickets);
      if (!free) throw new ConflictError("event_sold_out", "This event is sold out.");

      const ticket: Ticket = ticketSchema.parse({
        id: ulid(clock),
        eventId: event.id,
        eventNumber: event.number,
        wallet,
        seat: free.seat,
        generation: free.generation,
        tokenId: ticketTokenId(event.number, free.generation, free.seat).toString(),
        status: "pending_mint",
        createdAt: now,
        updatedAt: now,
        idempotencyKey: input.idempotencyKey,
        mint: { attempts: 0, lastError: null, nextAttemptAt: null, txHash: null, mintedAt: null },
        refund: null,
        checkedInAt: null,
        checkedInBy: null,
        payment: input.payment
          ? {
            transactionId: input.payment.transactionId,
            reference: input.payment.reference,
            token: input.payment.token,
            amount: input.payment.amount,
            transactionHash: input.payment.transactionHash,
          }
          : null,
      });
      const job: MintJob = { type: "ticket_mint", ticketId: ticket.id, attempt: 0 };
      if (paymentRecord && input.payment) {
        atomic
          .set(paymentKeys.reference(paymentRecord.reference), {
            ...paymentRecord,
            ticketId: ticket.id,
          })
          .set(paymentKeys.used(input.payment.transactionId), ticket.id);
      }
      const op = atomic
        .check({ key: claimKey, versionstamp: null })
        .check({ key: ticketKeys.holder(event.id, wallet), versionstamp: null })
        .check({ key: eventKeys.event(event.id), versionstamp: eventVersion })
        .check({ key: eventKeys.seat(event.id, free.seat), versionstamp: free.versionstamp })
        .check({ key: ticketKeys.byToken(ticket.tokenId), versionstamp: null })
        .set(eventKeys.seat(event.id, free.seat), {
          ticketId: ticket.id,
          generation: free.generation,
        })
        .sum(eventKeys.count(event.id), 1n)
        .set(ticketKeys.ticket(ticket.id), ticket)
        .set(ticketKeys.byEvent(event.id, ticket.id), ticket.id)
        .set(ticketKeys.byWallet(wallet, event.id, ticket.id), ticket.id)
        .set(ticketKeys.byToken(ticket.tokenId), ticket.id)
        .set(ticketKeys.holder(event.id, wallet), ticket.id)
        .set(claimKey, ticket.id, { expireIn: CLAIM_KEY_TTL_MS })
        .enqueue(job, jobEnqueueOptions(job, { backoffSchedule: options.queueBackoffMs }));
      return { op, value: { ticket, created: true } };
    },
    () => new ConflictError("claim_contended", "Too many claims at once; try again."),
    {
      attempts: MAX_CLAIM_ATTEMPTS,
      pause: contentionPause,
    },
  );
}

/** Who is asking: a member, possibly an admin. */
export interface Viewer {
  wallet: string;
  admin?: boolean;
}

/** Returns a ticket its holder (or an admin) may see; NotFoundError `ticket_not_found` otherwise. */
export async function getTicket(kv: Deno.Kv, ticketId: string, viewer: Viewer): Promise<Ticket> {
  const { ticket } = isUlid(ticketId) ? await readTicket(kv, ticketId) : { ticket: null };
  if (!ticket || (!viewer.admin && ticket.wallet !== normalizeWallet(viewer.wallet))) {
    throw new NotFoundError("ticket_not_found", "No such ticket.");
  }
  return ticket;
}

/**
 * Refunds a ticket before its event starts (ConflictError `refund_window_closed` from the start on;
 * `ticket_checked_in` once used). Frees the seat and the count in one commit, records the refund
 * and enqueues the burn job there too. Refunding a refunded ticket returns it unchanged.
 * Money goes back outside the app (the ticket keeps its `payment` for that).
 */
export async function refundTicket(
  kv: Deno.Kv,
  clock: Clock,
  input: {
    ticketId: string;
    viewer: Viewer;
    /**
     * `event_cancelled`: the organizer cancelled the event, so the refund is due whatever the
     * time (the viewer must be an admin); otherwise only before the event starts.
     */
    cause?: "event_cancelled";
  },
  options: TicketJobOptions = {},
): Promise<Ticket> {
  return await commitWithRetry(async () => {
    const current = await getTicket(kv, input.ticketId, input.viewer);
    if (current.status === "refunded") return { value: current };
    const [{ event, versionstamp: eventVersion }, seatEntry, ticketEntry] = await Promise.all([
      readEvent(kv, current.eventId),
      kv.get(eventKeys.seat(current.eventId, current.seat)),
      kv.get(ticketKeys.ticket(current.id)),
    ]);
    if (!event) throw new NotFoundError("event_not_found", "No such event.");
    const now = clock.now();
    if (input.cause !== "event_cancelled" && now >= event.startsAt) {
      throw new ConflictError(
        "refund_window_closed",
        "Tickets can only be refunded before the event starts.",
      );
    }
    const ticket = ticketSchema.parse(ticketEntry.value);
    if (ticket.status === "refunded") return null;
    if (ticket.checkedInAt !== null) {
      throw new ConflictError("ticket_checked_in", "This ticket was already used.");
    }
    const seat = seatSchema.parse(seatEntry.value);
    if (seat.ticketId !== ticket.id) {
      throw new Error(`seat ${ticket.seat} does not hold ticket ${ticket.id}`);
    }
    const refunded: Ticket = {
      ...ticket,
      status: "refunded",
      updatedAt: now,
      refund: {
        refundedAt: now,
        by: input.cause === "event_cancelled"
          ? "event_cancelled"
          : normalizeWallet(input.viewer.wallet),
        burn: "pending",
        burnTxHash: null,
        burnAttempts: 0,
        lastError: null,
      },
    };
    const job: BurnJob = { type: "ticket_burn", ticketId: ticket.id, attempt: 0 };
    const op = kv.atomic()
      .check(ticketEntry)
      .check(seatEntry)
      .check({ key: eventKeys.event(event.id), versionstamp: eventVersion })
      .set(ticketKeys.ticket(ticket.id), refunded)
      .set(eventKeys.seat(event.id, ticket.seat), { ticketId: null, generation: seat.generation })
      .sum(eventKeys.count(event.id), MINUS_ONE.value)
      .delete(ticketKeys.holder(event.id, ticket.wallet))
      .enqueue(job, jobEnqueueOptions(job, { backoffSchedule: options.queueBackoffMs }));
    return { op, value: refunded };
  }, () =>
    new ConflictError(
      "ticket_contended",
      "The ticket is being changed concurrently; try again.",
    ), { attempts: 20, pause: null });
}

/** Options of {@link listTickets}. */
export interface ListTicketsOptions {
  viewer: Viewer;
  /** Restrict to one event; admins see every ticket of it, members their own. */
  eventId?: string;
  cursor?: string;
  /** 1–100, default 50. */
  limit?: number;
}

/** Lists tickets: a member's own (all events or one), or for admins all of an event (or all). */
export async function listTickets(
  kv: Deno.Kv,
  options: ListTicketsOptions,
): Promise<{ values: Ticket[]; cursor: string }> {
  const limit = z.number().int().min(1).max(100).parse(options.limit ?? 50);
  const wallet = normalizeWallet(options.viewer.wallet);
  if (options.eventId !== undefined && !isUlid(options.eventId)) return { values: [], cursor: "" };
  const prefix: Deno.KvKey = options.viewer.admin
    ? (options.eventId ? ["tickets_by_event", options.eventId] : ["tickets"])
    : ["tickets_by_wallet", wallet, ...(options.eventId ? [options.eventId] : [])];
  let iterator: Deno.KvListIterator<unknown>;
  const ids: string[] = [];
  const direct: Ticket[] = [];
  try {
    iterator = kv.list({ prefix }, { limit, cursor: options.cursor || undefined });
    for await (const entry of iterator) {
      if (prefix[0] === "tickets") direct.push(ticketSchema.parse(entry.value));
      else ids.push(z.string().parse(entry.value));
    }
  } catch (error) {
    if (error instanceof z.ZodError) throw error;
    throw new BadRequestError("invalid_cursor", "The cursor is not valid for this listing.");
  }
  const values = [...direct];
  for (const entry of await getMany(kv, ids.map((id) => ticketKeys.ticket(id)))) {
    if (entry.versionstamp !== null) values.push(ticketSchema.parse(entry.value));
  }
  return { values, cursor: ids.length + direct.length < limit ? "" : iterator.cursor };
}
