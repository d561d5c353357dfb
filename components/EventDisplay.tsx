import type { EventView } from "@/core/events/events.ts";
import type { EventForViewer } from "@/core/events/venue.ts";
import { formatPrice } from "@/components/events/format.ts";
import { EventTime } from "@/components/events/EventTime.tsx";
import { VENUE_FOR_HOLDERS_TEXT } from "@/components/glossary.ts";
import CountdownTimer from "@/islands/CountdownTimer.tsx";

/** Props of {@link EventDisplay}. */
export interface EventDisplayProps {
  /** The event as this member may see it (a venue kept for ticket holders is hidden). */
  event: EventForViewer;
  /** The server's clock (for the countdown and the state words). */
  now: number;
  /** The reader's time zone for the dates ("UTC" until the browser has told it). */
  zone: string;
  /** `card`: a list item linking to the event; `full`: the event page's header. */
  variant?: "card" | "full";
}

/** The phase of an event at `now`. */
export function eventPhase(event: EventView, now: number) {
  if (event.status === "cancelled") return "cancelled";
  if (now >= event.endsAt) return "ended";
  if (now >= event.startsAt) return "live";
  return "upcoming";
}

const PHASE_TEXT = { cancelled: "Cancelled", ended: "Ended", live: "Happening now", upcoming: "" };

/** An event: name, dates, venue, price, seats left, a live countdown to its start, its description. */
export function EventDisplay({ event, now, zone, variant = "card" }: EventDisplayProps) {
  const phase = eventPhase(event, now);
  const Title = variant === "full" ? "h1" : "h2";
  const seats = event.remainingTickets === 0
    ? "Sold out"
    : `${event.remainingTickets} of ${event.maxTickets} seats left`;
  return (
    <article class={`event event--${variant} event--${phase}`} data-testid="event">
      {event.imageUrl?.startsWith("/")
        ? <img class="event__image" src={event.imageUrl} alt="" loading="lazy" />
        : null}
      <p class="eyebrow event__when" data-testid="event-starts">
        <EventTime at={event.startsAt} zone={zone} />
      </p>
      <Title class="display event__name">
        {variant === "card" ? <a href={`/events/${event.id}`}>{event.name}</a> : event.name}
      </Title>
      {PHASE_TEXT[phase]
        ? <p class={`event__phase event__phase--${phase}`}>{PHASE_TEXT[phase]}</p>
        : null}
      <dl class="event__facts">
        {event.venue || event.venueHidden
          ? (
            <div class="event__fact event__fact--wide">
              <dt>Venue</dt>
              <dd
                class={event.venueHidden ? "event__venue event__venue--hidden" : "event__venue"}
                data-testid="event-venue"
                data-hidden={event.venueHidden ? "true" : undefined}
              >
                {event.venueHidden ? VENUE_FOR_HOLDERS_TEXT : event.venue}
              </dd>
            </div>
          )
          : null}
        <div class="event__fact">
          <dt>Price</dt>
          <dd data-testid="event-price">{formatPrice(event.price)}</dd>
        </div>
        <div class="event__fact">
          <dt>Seats</dt>
          <dd data-testid="event-seats">{seats}</dd>
        </div>
        <div class="event__fact event__fact--wide">
          <dt>Ends</dt>
          <dd data-testid="event-ends">
            <EventTime at={event.endsAt} zone={zone} />
          </dd>
        </div>
      </dl>
      {phase === "upcoming"
        ? <CountdownTimer target={event.startsAt} now={now} label="Doors open in" />
        : null}
      {variant === "full" && event.description
        ? <p class="event__description" data-testid="event-description">{event.description}</p>
        : null}
    </article>
  );
}
