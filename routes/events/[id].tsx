import type { FreshContext, Handlers, PageProps } from "$fresh/server.ts";
import { z } from "zod";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { EventDisplay, eventPhase } from "@/components/EventDisplay.tsx";
import { TicketDisplay } from "@/components/TicketDisplay.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import { formatPrice } from "@/components/events/format.ts";
import { LocalTimesScript } from "@/components/events/EventTime.tsx";
import {
  type CollectibleState,
  collectibleState,
  type EventForViewer,
  eventForViewer,
  getEvent,
  getTicket,
  issueCheckInToken,
  listTickets,
  refundTicket,
  type Ticket,
} from "@/core/events/mod.ts";
import { ConflictError, ForbiddenError, NotFoundError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { viewerOf } from "@/server/events/events_http.ts";
import { readForm } from "@/server/http/request_body.ts";
import { readTimeZone } from "@/server/http/time_zone_cookie.ts";
import { Button } from "@/components/Button.tsx";
import TicketMinter from "@/islands/TicketMinter.tsx";

interface EventPage {
  event: EventForViewer;
  ticket: Ticket | null;
  collectible: CollectibleState;
  /** The reader's time zone (the `tz` cookie), "UTC" until the browser has told it. */
  zone: string;
  qr: { token: string; expiresAt: number } | null;
  now: number;
  appId: string;
  notice: string | null;
}

const ReleaseForm = z.object({
  ticketId: z.string().min(1, "Choose the ticket to release.").max(200, "That is not a ticket id."),
});

async function renderEvent(
  ctx: FreshContext<SignedInState, EventPage>,
  notice: string | null,
  status = 200,
) {
  const { kv, clock, config, tickets } = ctx.state.deps;
  const event = await getEvent(kv, ctx.params.id);
  const own = await listTickets(kv, {
    viewer: { wallet: ctx.state.member.wallet },
    eventId: event.id,
    limit: 20,
  });
  const ticket = own.values.find((t) => t.status !== "refunded") ?? null;
  const now = clock.now();
  let qr: EventPage["qr"] = null;
  if (
    ticket && ticket.checkedInAt === null && event.status === "active" && now < event.endsAt
  ) {
    const { token, expiresAt } = await issueCheckInToken(
      ticket,
      config.tickets.checkinSecret,
      clock,
    );
    qr = { token, expiresAt };
  }
  return ctx.render({
    event: await eventForViewer(kv, event, viewerOf(config, ctx.state.member.wallet)),
    ticket,
    collectible: ticket ? collectibleState(ticket, tickets !== null) : "none",
    zone: readTimeZone(ctx.req),
    qr,
    now,
    appId: config.worldId.appId,
    notice,
  }, { status, headers: { "cache-control": "no-store" } });
}

export const handler: Handlers<EventPage, SignedInState> = {
  GET(req, ctx) {
    const released = new URL(req.url).searchParams.has("released");
    return renderEvent(ctx, released ? "Your seat is released for another member." : null);
  },
  /**
   * Releases the member's free ticket before the event starts (a plain form, no JavaScript):
   * the seat returns to the pool and the ticket is cancelled. Paid tickets are refunded by the
   * council, because money goes back through the payment portal.
   */
  async POST(req, ctx) {
    const { kv, clock } = ctx.state.deps;
    const parsed = ReleaseForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) return renderEvent(ctx, parsed.error.issues[0].message, 400);
    const event = await getEvent(kv, ctx.params.id);
    if (event.price !== null) {
      return renderEvent(ctx, "Paid tickets are refunded by the council: write to them.", 409);
    }
    // Your own seat only, admins included (they refund others' tickets through the API).
    const viewer = { wallet: ctx.state.member.wallet };
    const ticket = await getTicket(kv, parsed.data.ticketId, viewer).catch((error) => {
      if (error instanceof NotFoundError || error instanceof ForbiddenError) return null;
      throw error;
    });
    if (!ticket || ticket.eventId !== event.id || ticket.status === "refunded") {
      return renderEvent(ctx, "That ticket is no longer yours to release.", 404);
    }
    try {
      await refundTicket(kv, clock, { ticketId: ticket.id, viewer });
    } catch (error) {
      if (error instanceof ConflictError) return renderEvent(ctx, error.message, 409);
      throw error;
    }
    return new Response(null, {
      status: 303,
      headers: { location: `/events/${encodeURIComponent(event.id)}?released=1` },
    });
  },
};

/** One event: details, countdown, claim or buy, and the member's ticket with its check-in code. */
export default function EventPageView(
  { data, url, state }: PageProps<EventPage, SignedInState>,
) {
  const { event, ticket, collectible, zone, qr, now, appId, notice } = data;
  const phase = eventPhase(event, now);
  const closed = phase === "cancelled"
    ? "This event was cancelled."
    : phase === "ended"
    ? "This event has ended."
    : event.remainingTickets === 0
    ? "Sold out."
    : null;
  return (
    <Shell
      headerActions={<HeaderStatus member={state.member} />}
      back={{ href: "/events", label: "All events" }}
    >
      <Head>
        <title>{`${event.name} · Aurum Circle`}</title>
      </Head>
      <LocalTimesScript />
      <section class="events events--one" aria-label={event.name}>
        <EventDisplay event={event} now={now} zone={zone} variant="full" />
        {notice
          ? <p class="safety__notice" role="status" data-testid="event-notice">{notice}</p>
          : null}
        <TicketMinter
          eventId={event.id}
          priceText={formatPrice(event.price)}
          paid={event.price !== null}
          closed={ticket ? null : closed}
          ticket={ticket && {
            id: ticket.id,
            status: ticket.status,
            seat: ticket.seat,
            tokenId: ticket.tokenId,
            collectible,
          }}
          appId={appId}
        />
        {ticket
          ? (
            <TicketDisplay
              ticket={ticket}
              checkinToken={qr?.token ?? null}
              qrExpiresAt={qr?.expiresAt ?? null}
              refreshPath={url.pathname}
              now={now}
            />
          )
          : null}
        {ticket && ticket.checkedInAt === null && phase === "upcoming"
          ? (
            event.price === null
              ? (
                <details class="match__end">
                  <summary data-testid="release-open">Can't come?</summary>
                  <form method="post" class="safety__form">
                    <input type="hidden" name="ticketId" value={ticket.id} />
                    <p class="safety__hint">
                      Release your seat so another member can take it. Your ticket stops working.
                    </p>
                    <Button type="submit" variant="ghost" block data-testid="release-submit">
                      Release my seat
                    </Button>
                  </form>
                </details>
              )
              : (
                <p class="safety__hint" data-testid="paid-refund-note">
                  Can't come? Paid tickets are refunded by the council before the event starts.
                </p>
              )
          )
          : null}
      </section>
    </Shell>
  );
}
