/**
 * Per-member event log for live notifications, shared by every instance through KV.
 * Each event is `["member_events", wallet, ulid]` (expires after EVENT_TTL_MS) and every append also
 * rewrites `["member_events_latest", wallet]`: the SSE route `kv.watch`es that key, then reads the log
 * after the client's Last-Event-ID with `readMemberEventsSince`.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { walletSchema } from "@/core/members.ts";
import { ulid } from "@/core/ulid.ts";

/** How long events stay in the log (a client reconnecting later starts from the current state). */
export const EVENT_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** Pattern of an event id: a ULID, monotonic within a process (so "after Last-Event-ID" skips no local event). */
const EVENT_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

const payloadSchema = z.discriminatedUnion("type", [
  // Someone signalled this member; deliberately carries no sender.
  z.object({ type: z.literal("signal_received") }),
  z.object({ type: z.literal("match"), pairId: z.string(), with: walletSchema }),
  z.object({ type: z.literal("match_ended"), pairId: z.string() }),
  z.object({ type: z.literal("invite_claimed"), inviteId: z.string() }),
  // A message in a match's thread (the text stays in the thread; the event names only its id).
  z.object({ type: z.literal("message"), pairId: z.string(), messageId: z.string() }),
  // The other member has read the thread up to `messageId` (a "Seen" receipt).
  z.object({ type: z.literal("message_read"), pairId: z.string(), messageId: z.string() }),
]);

const eventSchema = z.intersection(
  z.object({ id: z.string().regex(EVENT_ID_PATTERN), at: z.number().int() }),
  payloadSchema,
);

/** What an event says (without id and time). */
export type MemberEventPayload = z.infer<typeof payloadSchema>;
/** One event in a member's log. */
export type MemberEvent = z.infer<typeof eventSchema>;

/** Key of one event in the log. */
export const memberEventKey = (wallet: string, id: string): Deno.KvKey => [
  "member_events",
  wallet,
  id,
];

/** The key an SSE route watches: it changes on every event appended for `wallet`. */
export const memberEventsLatestKey = (wallet: string): Deno.KvKey => [
  "member_events_latest",
  wallet,
];

/**
 * Adds an event for `wallet` to an atomic operation (so it commits with the change it reports) and
 * returns it. The latest-key write is not checked: concurrent appends never conflict.
 */
export function addMemberEvent(
  op: Deno.AtomicOperation,
  now: number,
  wallet: string,
  payload: MemberEventPayload,
): MemberEvent {
  const event = { id: ulid({ now: () => now }), at: now, ...payload } as MemberEvent;
  op.set(memberEventKey(wallet, event.id), event, { expireIn: EVENT_TTL_MS });
  op.set(memberEventsLatestKey(wallet), { id: event.id, at: now }, { expireIn: EVENT_TTL_MS });
  return event;
}

/** Appends one event for `wallet` in its own commit and returns it. */
export async function appendMemberEvent(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  payload: MemberEventPayload,
): Promise<MemberEvent> {
  const op = kv.atomic();
  const event = addMemberEvent(op, clock.now(), wallet, payload);
  const result = await op.commit();
  if (!result.ok) throw new Error("appending a member event failed");
  return event;
}

/** Events for `wallet` strictly after `lastId` (all retained events when null), oldest first. */
export async function readMemberEventsSince(
  kv: Deno.Kv,
  wallet: string,
  lastId: string | null,
  limit = 100,
): Promise<MemberEvent[]> {
  const prefix: Deno.KvKey = ["member_events", wallet];
  const selector: Deno.KvListSelector = lastId && EVENT_ID_PATTERN.test(lastId)
    ? { prefix, start: [...prefix, `${lastId}\u0000`] }
    : { prefix };
  const events: MemberEvent[] = [];
  for await (const entry of kv.list(selector, { limit })) {
    const parsed = eventSchema.safeParse(entry.value);
    if (parsed.success) events.push(parsed.data);
  }
  return events;
}
