/** The queue message that owes a cancelled event's refunds (enqueued by `cancelEvent`). */
import { z } from "zod";

/** `{ type: "event_cancel_refunds", eventId }`. */
export const eventCancelRefundsMessage = z.object({
  type: z.literal("event_cancel_refunds"),
  eventId: z.string(),
});

/** The message for `eventId`. */
export function eventCancelRefunds(eventId: string): z.infer<typeof eventCancelRefundsMessage> {
  return { type: "event_cancel_refunds", eventId };
}
