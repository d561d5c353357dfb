import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { createEvent, eventsForViewer, listEvents } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { eventJson, NO_STORE, requireAdmin, viewerOf } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJson } from "@/server/http/request_body.ts";

const ListQuery = z.object({
  when: z.enum(["upcoming", "past"]).default("upcoming"),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * `GET /api/events?when=upcoming|past&cursor&limit` → `{ events, cursor }` ("" at the end); a
   * venue kept for ticket holders is blank for the others.
   */
  async GET(_req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    const query = parseQuery(ctx.url, ListQuery);
    const { values, cursor } = await listEvents(kv, clock, query);
    const events = await eventsForViewer(kv, values, viewerOf(config, ctx.state.member.wallet));
    return json({ events: events.map(eventJson), cursor }, { headers: NO_STORE });
  },
  /** Admin only: creates an event (400 `invalid_event` names every bad field). */
  async POST(req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    requireAdmin(config, ctx.state.member.wallet);
    const event = await createEvent(kv, clock, (await readJson(req)) as never);
    return json({ event: eventJson(event) }, { status: 201 });
  },
};
