/**
 * Events members can hold tickets to. One record per event under `["events", id]` (a ULID); a
 * listing index `["events_by_end", endsAt, id]` splits upcoming from past; `["event_counts", id]` is
 * the number of tickets currently held (a KvU64 changed only together with a seat, see tickets.ts);
 * `["event_seq"]` hands each event a small number that prefixes its tickets' token ids.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/core/errors.ts";
import { type CommitRetryOptions, commitWithRetry, getMany } from "@/core/kv.ts";
import { isUlid, ulid } from "@/core/ulid.ts";

/** The queue message that owes a cancelled event's refunds (enqueued by `cancelEvent`). */
export const eventCancelRefundsMessage = z.object({
  type: z.literal("event_cancel_refunds"),
  eventId: z.string(),
});

/** The refunds message for `eventId`. */
export function eventCancelRefunds(eventId: string): z.infer<typeof eventCancelRefundsMessage> {
  return { type: "event_cancel_refunds", eventId };
}

/** Tokens a ticket can be paid with (MiniKit `pay` symbols). */
export const PAYMENT_TOKENS = ["WLD", "USDCE"] as const;
/** A payment token symbol. */
export type PaymentToken = (typeof PAYMENT_TOKENS)[number];

/** Most tickets one event may offer (seat numbers must fit in 20 bits of the token id). */
export const MAX_TICKETS_PER_EVENT = 100_000;

const epochMs = z.number().int().min(0).max(8.64e15);
const baseUnits = z.string().regex(/^[1-9][0-9]{0,77}$/);

/** A ticket price in a token's base units (wei-like integer string); null means free. */
export const priceSchema = z.object({
  token: z.enum(PAYMENT_TOKENS, { error: "token must be WLD or USDCE" }),
  amount: baseUnits.describe("base units"),
}).nullable();

const eventRecordSchema = z.object({
  id: z.string().refine(isUlid),
  number: z.number().int().min(1),
  name: z.string(),
  description: z.string(),
  // Events stored before venues existed read back with none, shown to everyone.
  venue: z.string().default(""),
  venueHoldersOnly: z.boolean().default(false),
  imageKey: z.string().nullable(),
  imageUrl: z.string().nullable(),
  startsAt: epochMs,
  endsAt: epochMs,
  price: priceSchema,
  maxTickets: z.number().int().min(1).max(MAX_TICKETS_PER_EVENT),
  status: z.enum(["active", "cancelled"]),
  createdAt: epochMs,
  updatedAt: epochMs,
  cancelledAt: epochMs.nullable(),
});

/** An event as stored. */
export type EventRecord = z.infer<typeof eventRecordSchema>;
/** An event with its live ticket count. */
export type EventView = EventRecord & { currentTickets: number; remainingTickets: number };

/** KV keys of the events module (read by tickets.ts for its atomic checks). */
export const eventKeys = {
  event: (id: string): Deno.KvKey => ["events", id],
  byEnd: (endsAt: number, id: string): Deno.KvKey => ["events_by_end", endsAt, id],
  count: (id: string): Deno.KvKey => ["event_counts", id],
  sequence: ["event_seq"] as Deno.KvKey,
  /** Seat `seat` (1…maxTickets) of an event; see tickets.ts. */
  seat: (id: string, seat: number): Deno.KvKey => ["event_seats", id, seat],
};

/** A seat: the ticket holding it (null once refunded) and how many tickets have held it. */
export const seatSchema = z.object({
  ticketId: z.string().nullable(),
  generation: z.number().int().min(1),
});
/** A stored seat. */
export type Seat = z.infer<typeof seatSchema>;

/** Accepts epoch milliseconds or an ISO-8601 date-time with an offset. */
const instant = (field: string) =>
  z.union([
    epochMs,
    z.iso.datetime({ offset: true, error: `${field} must be an ISO date-time with a time zone` })
      .transform((text) => Date.parse(text)),
  ], {
    error: (issue) =>
      issue.input === undefined
        ? `${field} is required`
        : `${field} must be epoch milliseconds or an ISO date-time`,
  });

const fields = {
  name: z.string({ error: "name is required" }).trim().min(1, "name must not be empty").max(
    120,
    "name must be at most 120 characters",
  ),
  description: z.string({ error: "description must be text" }).trim().max(
    4000,
    "description must be at most 4000 characters",
  ),
  venue: z.string({ error: "venue must be text" }).trim().max(
    300,
    "venue must be at most 300 characters",
  ),
  venueHoldersOnly: z.boolean({ error: "venueHoldersOnly must be true or false" }),
  imageKey: z.string().regex(
    /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/,
    "imageKey must be an object-store key (A-Z a-z 0-9 . _ - and /)",
  ).max(512).nullable(),
  imageUrl: z.url({ protocol: /^https?$/, error: "imageUrl must be an http(s) URL" }).max(2048)
    .nullable(),
  startsAt: instant("startsAt"),
  endsAt: instant("endsAt"),
  price: z.object({
    token: z.enum(PAYMENT_TOKENS, { error: "price.token must be WLD or USDCE" }),
    amount: z.string({ error: "price.amount must be a string of base units" }).regex(
      /^[1-9][0-9]{0,77}$/,
      'price.amount must be a positive integer in the token\'s base units, e.g. "1000000000000000000"',
    ),
  }, { error: "price must be {token, amount} or null for a free event" }).nullable(),
  maxTickets: z.number({ error: "maxTickets must be a number" }).int("maxTickets must be whole")
    .min(1, "maxTickets must be at least 1").max(
      MAX_TICKETS_PER_EVENT,
      `maxTickets must be at most ${MAX_TICKETS_PER_EVENT}`,
    ),
};

/** Input of {@link createEvent}. */
export const createEventInputSchema = z.strictObject({
  name: fields.name,
  description: fields.description.default(""),
  venue: fields.venue.default(""),
  venueHoldersOnly: fields.venueHoldersOnly.default(false),
  imageKey: fields.imageKey.default(null),
  imageUrl: fields.imageUrl.default(null),
  startsAt: fields.startsAt,
  endsAt: fields.endsAt,
  price: fields.price.default(null),
  maxTickets: fields.maxTickets,
}).refine((e) => e.endsAt > e.startsAt, {
  path: ["endsAt"],
  message: "endsAt must be after startsAt",
});

/** Input of {@link updateEvent}: any subset of the editable fields. */
export const updateEventInputSchema = z.strictObject({
  name: fields.name.optional(),
  description: fields.description.optional(),
  venue: fields.venue.optional(),
  venueHoldersOnly: fields.venueHoldersOnly.optional(),
  imageKey: fields.imageKey.optional(),
  imageUrl: fields.imageUrl.optional(),
  startsAt: fields.startsAt.optional(),
  endsAt: fields.endsAt.optional(),
  price: fields.price.optional(),
  maxTickets: fields.maxTickets.optional(),
});

/** Input accepted by {@link createEvent} (before validation). */
export type CreateEventInput = z.input<typeof createEventInputSchema>;
/** Input accepted by {@link updateEvent} (before validation). */
export type UpdateEventInput = z.input<typeof updateEventInputSchema>;

/** Parses `input` or throws BadRequestError(`code`) listing every bad field. */
export function parseInput<T extends z.ZodType>(
  schema: T,
  input: unknown,
  code: string,
): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const path = issue.path.join(".");
    if (issue.code === "unrecognized_keys") return `unknown field(s) ${issue.keys.join(", ")}`;
    return path && !issue.message.startsWith(path) ? `${path}: ${issue.message}` : issue.message;
  });
  throw new BadRequestError(code, problems.join("; "));
}

const countSchema = z.instanceof(Deno.KvU64).nullable();

/** Reads an event record with its versionstamp (null record when absent). */
export async function readEvent(kv: Deno.Kv, id: string) {
  const entry = await kv.get(eventKeys.event(id));
  if (entry.versionstamp === null) return { event: null, versionstamp: null };
  return { event: eventRecordSchema.parse(entry.value), versionstamp: entry.versionstamp };
}

/** Reads the number of tickets currently held for an event. */
export async function readTicketCount(kv: Deno.Kv, id: string) {
  const entry = await kv.get(eventKeys.count(id));
  return {
    count: Number(countSchema.parse(entry.value)?.value ?? 0n),
    versionstamp: entry.versionstamp,
  };
}

function view(event: EventRecord, count: number): EventView {
  return {
    ...event,
    currentTickets: count,
    remainingTickets: Math.max(0, event.maxTickets - count),
  };
}

/** Returns an event with its ticket count; NotFoundError(`event_not_found`) when absent. */
export async function getEvent(kv: Deno.Kv, id: string): Promise<EventView> {
  if (!isUlid(id)) throw new NotFoundError("event_not_found", "No such event.");
  const [entry, count] = await kv.getMany([eventKeys.event(id), eventKeys.count(id)]);
  if (entry.versionstamp === null) throw new NotFoundError("event_not_found", "No such event.");
  const held = Number(countSchema.parse(count.value)?.value ?? 0n);
  return view(eventRecordSchema.parse(entry.value), held);
}

/** Event writes retry 10 times, at once, before ConflictError `event_contended`. */
const RETRY: CommitRetryOptions = { attempts: 10, pause: null };

function changing(): ConflictError {
  return new ConflictError(
    "event_contended",
    "The event is being changed concurrently; try again.",
  );
}

/** Creates an event (validated; BadRequestError `invalid_event` names each bad field). */
export async function createEvent(
  kv: Deno.Kv,
  clock: Clock,
  input: CreateEventInput,
): Promise<EventView> {
  const data = parseInput(createEventInputSchema, input, "invalid_event");
  const now = clock.now();
  if (data.endsAt <= now) {
    throw new BadRequestError("invalid_event", "endsAt: the event must end in the future");
  }
  return await commitWithRetry(
    async () => {
      const sequence = await kv.get(eventKeys.sequence);
      const number = (z.number().int().nullable().parse(sequence.value) ?? 0) + 1;
      const event: EventRecord = {
        id: ulid(clock),
        number,
        ...data,
        status: "active",
        createdAt: now,
        updatedAt: now,
        cancelledAt: null,
      };
      const op = kv.atomic()
        .check(sequence)
        .check({ key: eventKeys.event(event.id), versionstamp: null })
        .set(eventKeys.sequence, number)
        .set(eventKeys.event(event.id), event)
        .set(eventKeys.byEnd(event.endsAt, event.id), event.id);
      return { op, value: view(event, 0) };
    },
    () => new ConflictError("event_contended", "Events are being created concurrently; try again."),
    RETRY,
  );
}

/**
 * Edits an event. Cancelled events cannot be edited (ConflictError `event_cancelled`); lowering
 * maxTickets below a held seat number fails with ConflictError `event_capacity_below_sold`.
 */
export async function updateEvent(
  kv: Deno.Kv,
  clock: Clock,
  id: string,
  patch: UpdateEventInput,
): Promise<EventView> {
  const changes = parseInput(updateEventInputSchema, patch, "invalid_event");
  return await commitWithRetry(
    async () => {
      const current = await readEvent(kv, id);
      if (!current.event) throw new NotFoundError("event_not_found", "No such event.");
      if (current.event.status === "cancelled") {
        throw new ConflictError(
          "event_cancelled",
          "This event was cancelled and cannot be edited.",
        );
      }
      const defined = Object.fromEntries(
        Object.entries(changes).filter(([, v]) => v !== undefined),
      );
      const next: EventRecord = { ...current.event, ...defined, updatedAt: clock.now() };
      if (next.endsAt <= next.startsAt) {
        throw new BadRequestError("invalid_event", "endsAt: endsAt must be after startsAt");
      }
      const count = await readTicketCount(kv, id);
      const atomic = kv.atomic().check({
        key: eventKeys.event(id),
        versionstamp: current.versionstamp,
      })
        .check({ key: eventKeys.count(id), versionstamp: count.versionstamp });
      if (next.maxTickets < current.event.maxTickets) {
        // Seats above the new capacity must be free; a claim taking one changes the count, which we check.
        const seatsAbove = kv.list({
          start: eventKeys.seat(id, next.maxTickets + 1),
          end: eventKeys.seat(id, current.event.maxTickets + 1),
        });
        for await (const seat of seatsAbove) {
          if (seatSchema.parse(seat.value).ticketId !== null) {
            throw new ConflictError(
              "event_capacity_below_sold",
              `maxTickets cannot go below seat ${
                String(seat.key[2])
              }, which is held (${count.count} tickets held).`,
            );
          }
        }
      }
      if (next.endsAt !== current.event.endsAt) {
        atomic.delete(eventKeys.byEnd(current.event.endsAt, id)).set(
          eventKeys.byEnd(next.endsAt, id),
          id,
        );
      }
      return { op: atomic.set(eventKeys.event(id), next), value: view(next, count.count) };
    },
    changing,
    RETRY,
  );
}

/**
 * Cancels an event: no more tickets can be claimed, and the refund of every unused ticket is
 * enqueued in the same commit (`core/event_cancellation.ts`). Cancelling twice is a no-op.
 */
export async function cancelEvent(kv: Deno.Kv, clock: Clock, id: string): Promise<EventView> {
  await commitWithRetry(
    async () => {
      const current = await readEvent(kv, id);
      if (!current.event) throw new NotFoundError("event_not_found", "No such event.");
      if (current.event.status === "cancelled") return { value: undefined };
      const now = clock.now();
      const next: EventRecord = {
        ...current.event,
        status: "cancelled",
        cancelledAt: now,
        updatedAt: now,
      };
      // The refunds of its tickets are owed from the moment it is cancelled: same commit.
      const op = kv.atomic()
        .check({ key: eventKeys.event(id), versionstamp: current.versionstamp })
        .set(eventKeys.event(id), next)
        .enqueue(eventCancelRefunds(id));
      return { op, value: undefined };
    },
    changing,
    RETRY,
  );
  return await getEvent(kv, id);
}

/** Options of {@link listEvents}. */
export interface ListEventsOptions {
  /** `upcoming`: not yet ended, soonest end first; `past`: ended, most recent first. */
  when: "upcoming" | "past";
  cursor?: string;
  /** Page size, 1–100 (default 20). */
  limit?: number;
}

const listOptionsSchema = z.object({
  when: z.enum(["upcoming", "past"], { error: "when must be upcoming or past" }),
  cursor: z.string().max(1000).optional(),
  limit: z.number().int().min(1, "limit must be 1–100").max(100, "limit must be 1–100").default(20),
});

/** Lists events (cancelled ones included, flagged by `status`); returns `{ values, cursor }`, cursor "" at the end. */
export async function listEvents(
  kv: Deno.Kv,
  clock: Clock,
  options: ListEventsOptions,
): Promise<{ values: EventView[]; cursor: string }> {
  const { when, cursor, limit } = parseInput(listOptionsSchema, options, "invalid_query");
  const now = clock.now();
  const selector = when === "upcoming"
    ? { start: ["events_by_end", now + 1], end: ["events_by_end", Number.MAX_SAFE_INTEGER] }
    : { start: ["events_by_end", 0], end: ["events_by_end", now + 1] };
  let iterator: Deno.KvListIterator<unknown>;
  try {
    iterator = kv.list(selector, { limit, cursor: cursor || undefined, reverse: when === "past" });
  } catch {
    throw new BadRequestError("invalid_cursor", "The cursor is not valid for this listing.");
  }
  const ids: string[] = [];
  try {
    for await (const entry of iterator) ids.push(z.string().parse(entry.value));
  } catch (error) {
    if (error instanceof z.ZodError) throw error;
    throw new BadRequestError("invalid_cursor", "The cursor is not valid for this listing.");
  }
  const values: EventView[] = [];
  const entries = await getMany(
    kv,
    ids.flatMap((id) => [eventKeys.event(id), eventKeys.count(id)]),
  );
  for (let j = 0; j < ids.length; j++) {
    const record = entries[2 * j];
    if (record.versionstamp === null) continue;
    const held = Number(countSchema.parse(entries[2 * j + 1].value)?.value ?? 0n);
    values.push(view(eventRecordSchema.parse(record.value), held));
  }
  return { values, cursor: ids.length < limit ? "" : iterator.cursor };
}
