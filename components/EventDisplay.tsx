import type { EventView } from "@/core/events/events.ts";
import { formatDate, formatPrice } from "@/components/events/format.ts";
import CountdownTimer from "@/islands/CountdownTimer.tsx";

/** Props of {@link EventDisplay}. */
export interface EventDisplayProps {
  event: EventView;
  /** The server's clock (for the countdown and the state words). */
  now: number;
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

/** An event: name, dates, price, seats left and a live countdown to its start. */
export function EventDisplay({ event, now, variant = "card" }: EventDisplayProps) {
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
      <p class="eyebrow event__when">{formatDate(event.startsAt)}</p>
      <Title class="display event__name">
        {variant === "card" ? <a href={`/events/${event.id}`}>{event.name}</a> : event.name}
      </Title>
      {PHASE_TEXT[phase]
        ? <p class={`event__phase event__phase--${phase}`}>{PHASE_TEXT[phase]}</p>
        : null}
      <dl class="event__facts">
        <div class="event__fact">
          <dt>Price</dt>
          <dd data-testid="event-price">{formatPrice(event.price)}</dd>
        </div>
        <div class="event__fact">
          <dt>Seats</dt>
          <dd data-testid="event-seats">{seats}</dd>
        </div>
        <div class="event__fact">
          <dt>Ends</dt>
          <dd>{formatDate(event.endsAt)}</dd>
        </div>
      </dl>
      {phase === "upcoming"
        ? <CountdownTimer target={event.startsAt} now={now} label="Doors open in" />
        : null}
      {variant === "full" && event.description
        ? <p class="event__description">{event.description}</p>
        : null}
    </article>
  );
}
