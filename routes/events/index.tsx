import type { Handlers, PageProps } from "$fresh/server.ts";
import { Head } from "$fresh/runtime.ts";
import { Shell } from "@/components/Shell.tsx";
import { EventDisplay } from "@/components/EventDisplay.tsx";
import { HeaderStatus } from "@/components/auth/HeaderStatus.tsx";
import { type EventView, listEvents } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";

interface EventsPage {
  when: "upcoming" | "past";
  events: EventView[];
  cursor: string;
  now: number;
}

export const handler: Handlers<EventsPage, SignedInState> = {
  async GET(_req, ctx) {
    const { kv, clock } = ctx.state.deps;
    const when = ctx.url.searchParams.get("when") === "past" ? "past" : "upcoming";
    const cursor = ctx.url.searchParams.get("cursor") ?? undefined;
    const page = await listEvents(kv, clock, { when, cursor, limit: 20 });
    return ctx.render({
      when,
      events: page.values,
      cursor: page.cursor,
      now: clock.now(),
    });
  },
};

/** Upcoming and past events, twenty at a time. */
export default function Events({ data, state }: PageProps<EventsPage, SignedInState>) {
  const { when, events, cursor, now } = data;
  return (
    <Shell headerActions={<HeaderStatus member={state.member} />}>
      <Head>
        <title>Events · Aurum Circle</title>
      </Head>
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
                  <EventDisplay event={event} now={now} />
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
