import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { EventDisplay } from "@/components/EventDisplay.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import { LocalTimesScript } from "@/components/events/EventTime.tsx";
import { type EventForViewer, eventsForViewer, listEvents } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { viewerOf } from "@/server/events/events_http.ts";
import { readTimeZone } from "@/server/http/time_zone_cookie.ts";

interface EventsPage {
  when: "upcoming" | "past";
  events: EventForViewer[];
  cursor: string;
  now: number;
  /** The reader's time zone (the `tz` cookie), "UTC" until the browser has told it. */
  zone: string;
}

export const handler: Handlers<EventsPage, SignedInState> = {
  async GET(req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const when = ctx.url.searchParams.get("when") === "past" ? "past" : "upcoming";
    const cursor = ctx.url.searchParams.get("cursor") ?? undefined;
    const page = await listEvents(kv, clock, { when, cursor, limit: 20 });
    const viewer = viewerOf(config, ctx.state.member.wallet);
    return ctx.render({
      when,
      events: await eventsForViewer(kv, page.values, viewer),
      cursor: page.cursor,
      now: clock.now(),
      zone: readTimeZone(req),
    });
  },
};

/** Upcoming and past events, twenty at a time. */
export default function Events({ data, state }: PageProps<EventsPage, SignedInState>) {
  const { when, events, cursor, now, zone } = data;
  return (
    <Shell headerActions={<HeaderStatus member={state.member} />}>
      <Head>
        <title>Events · Aurum Circle</title>
      </Head>
      <LocalTimesScript />
      <section class="events" aria-labelledby="events-title" data-testid="events">
        <p class="eyebrow">Gatherings of the circle</p>
        <h1 id="events-title" class="display">Events</h1>
        <nav class="events__tabs" aria-label="Which events">
          <a
            class={`events__tab${when === "upcoming" ? " events__tab--active" : ""}`}
            href="/events"
            aria-current={when === "upcoming" ? "page" : undefined}
          >
            Upcoming
          </a>
          <a
            class={`events__tab${when === "past" ? " events__tab--active" : ""}`}
            href="/events?when=past"
            aria-current={when === "past" ? "page" : undefined}
          >
            Past
          </a>
        </nav>
        {events.length === 0
          ? (
            <p class="events__empty" data-testid="events-empty">
              {when === "upcoming" ? "No gatherings are planned yet." : "No past gatherings."}
            </p>
          )
          : (
            <ul class="events__list">
              {events.map((event) => (
                <li key={event.id}>
                  <EventDisplay event={event} now={now} zone={zone} />
                </li>
              ))}
            </ul>
          )}
        {cursor
          ? (
            <a
              class="events__more"
              href={`/events?when=${when}&cursor=${encodeURIComponent(cursor)}`}
            >
              More events
            </a>
          )
          : null}
      </section>
    </Shell>
  );
}
