import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { createEvent, listEvents } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { eventJson, NO_STORE, requireAdmin } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJson } from "@/server/http/request_body.ts";

const ListQuery = z.object({
  when: z.enum(["upcoming", "past"]).default("upcoming"),
  cursor: z.string().max(1000).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const handler: Handlers<unknown, SignedInState> = {
  /** `GET /api/events?when=upcoming|past&cursor&limit` → `{ events, cursor }` ("" at the end). */
  async GET(_req, ctx) {
    const { kv, clock } = ctx.state.deps;
    const query = parseQuery(ctx.url, ListQuery);
    const { values, cursor } = await listEvents(kv, clock, query);
    return json({ events: values.map(eventJson), cursor }, { headers: NO_STORE });
  },
  /** Admin only: creates an event (400 `invalid_event` names every bad field). */
  async POST(req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    requireAdmin(config, ctx.state.member.wallet);
    const event = await createEvent(kv, clock, (await readJson(req)) as never);
    return json({ event: eventJson(event) }, { status: 201 });
  },
};
