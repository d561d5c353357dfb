/**
 * Who may read an event's venue. A host may keep it for ticket holders (`venueHoldersOnly`): then
 * only a member holding a live ticket to the event (checked in or not, never a released one) and
 * the event admins read it; everyone else learns only that it is kept for holders.
 */
import { getMany } from "@/core/kv.ts";
import type { EventView } from "./events.ts";
import { ticketKeys } from "./ticket_records.ts";
import type { Viewer } from "./tickets.ts";

/** An event as one member may see it: `venue` is blank when `venueHidden`. */
export type EventForViewer = EventView & { venueHidden: boolean };

/** True when the event keeps a venue from members without a ticket. */
function keepsVenue(event: EventView): boolean {
  return event.venueHoldersOnly && event.venue !== "";
}

/** The events as `viewer` may see them (one batched read of their ticket-holder keys). */
export async function eventsForViewer(
  kv: Deno.Kv,
  events: EventView[],
  viewer: Viewer,
): Promise<EventForViewer[]> {
  const guarded = viewer.admin ? [] : events.filter(keepsVenue);
  const held = await getMany(kv, guarded.map((e) => ticketKeys.holder(e.id, viewer.wallet)));
  const holds = new Set(guarded.filter((_, i) => held[i].versionstamp !== null).map((e) => e.id));
  return events.map((event) =>
    viewer.admin || !keepsVenue(event) || holds.has(event.id)
      ? { ...event, venueHidden: false }
      : { ...event, venue: "", venueHidden: true }
  );
}

/** One event as `viewer` may see it. */
export async function eventForViewer(
  kv: Deno.Kv,
  event: EventView,
  viewer: Viewer,
): Promise<EventForViewer> {
  const [one] = await eventsForViewer(kv, [event], viewer);
  return one;
}
