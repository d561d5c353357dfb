import type { Handlers } from "$fresh/server.ts";
import { eventForViewer, getEvent, updateEvent } from "@/core/events/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { eventJson, NO_STORE, requireAdmin, viewerOf } from "@/server/events/events_http.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJson } from "@/server/http/request_body.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** `GET /api/events/:id` → `{ event }` with its live ticket count (venue as the member may see it). */
  async GET(_req, ctx) {
    const { kv, config } = ctx.state.deps;
    const event = await getEvent(kv, ctx.params.id);
    const viewer = viewerOf(config, ctx.state.member.wallet);
    return json({ event: eventJson(await eventForViewer(kv, event, viewer)) }, {
      headers: NO_STORE,
    });
  },
  /** Admin only: edits any subset of the event's fields. */
  async PUT(req, ctx) {
    const { kv, clock, config } = ctx.state.deps;
    requireAdmin(config, ctx.state.member.wallet);
    const event = await updateEvent(kv, clock, ctx.params.id, (await readJson(req)) as never);
    return json({ event: eventJson(event) });
  },
};
