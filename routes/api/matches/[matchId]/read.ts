import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { markRead, unreadCounts } from "@/core/social/mod.ts";
import { isUlid } from "@/core/ulid.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const ReadBody = z.object({
  upTo: z.string().refine(isUlid, "That is not a message.").optional(),
}).strict();

export const handler: Handlers<unknown, SignedInState> = {
  /** Marks the thread read up to `upTo` (default: all); answers the member's unread counts. */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { upTo } = await readJsonAs(req, ReadBody);
    const read = await markRead(deps.kv, deps.clock, member.wallet, ctx.params.matchId, upTo);
    const { total } = await unreadCounts(deps.kv, member.wallet);
    return json({ ...read, unreadTotal: total }, {
      headers: { "cache-control": "private, no-store" },
    });
  },
};
