import type { Handlers } from "$fresh/server.ts";
import { listReceived } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Pending signals received: how many and when — never who (that opens only with a match). */
  async GET(_req, ctx) {
    const { count, times } = await listReceived(ctx.state.deps.kv, ctx.state.member.wallet);
    return json({ count, times }, { headers: { "cache-control": "private, no-store" } });
  },
};
