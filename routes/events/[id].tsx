import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "../../components/Shell.tsx";
import { EventDisplay, eventPhase } from "../../components/EventDisplay.tsx";
import { TicketDisplay } from "../../components/TicketDisplay.tsx";
import { HeaderStatus } from "../../components/auth/HeaderStatus.tsx";
import { chainName } from "../../components/auth/settings.ts";
import { formatPrice } from "../../components/events/format.ts";
import { type EventView, getEvent } from "../../core/events.ts";
import { issueCheckInToken, listTickets, type Ticket } from "../../core/tickets.ts";
import type { SignedInState } from "../../server/deps.ts";
import TicketMinter from "../../islands/TicketMinter.tsx";

interface EventPage {
  event: EventView;
  ticket: Ticket | null;
  qr: { token: string; expiresAt: number } | null;
  now: number;
  chainId: number;
  appId: string;
}

export const handler: Handlers<EventPage, SignedInState> = {
  async GET(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
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
      event,
      ticket,
      qr,
      now,
      chainId: config.chain.id,
      appId: config.worldId.appId,
    }, { headers: { "cache-control": "no-store" } });
  },
};

/** One event: details, countdown, claim or buy, and the member's ticket with its check-in code. */
export default function EventPageView({ data, url }: PageProps<EventPage>) {
  const { event, ticket, qr, now, chainId, appId } = data;
  const phase = eventPhase(event, now);
  const closed = phase === "cancelled"
    ? "This event was cancelled."
    : phase === "ended"
    ? "This event has ended."
    : event.remainingTickets === 0
    ? "Sold out."
    : null;
  return (
    <Shell headerActions={<HeaderStatus chainId={chainId} chainName={chainName(chainId)} />}>
      <Head>
        <title>{`${event.name} · Aurum Circle`}</title>
      </Head>
      <section class="events events--one" aria-label={event.name}>
        <a class="events__back" href="/events">← All events</a>
        <EventDisplay event={event} now={now} variant="full" />
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
          }}
          appId={appId}
        />
        {ticket
          ? (
            <TicketDisplay
              ticket={ticket}
              checkinToken={qr?.token ?? null}
              qrExpiresAt={qr?.expiresAt ?? null}
              refreshHref={`${url.pathname}?refresh=${now}#ticket`}
            />
          )
          : null}
      </section>
    </Shell>
  );
}
