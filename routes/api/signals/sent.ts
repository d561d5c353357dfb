import type { Handlers } from "$fresh/server.ts";
import { profileIdOf } from "@/core/profiles/mod.ts";
import { listSent } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Signals the member sent, by profile id, each saying whether it became a match. */
  async GET(_req, ctx) {
    const { kv } = ctx.state.deps;
    const sent = await listSent(kv, ctx.state.member.wallet);
    const signals = await Promise.all(sent.map(async (signal) => ({
      profileId: await profileIdOf(kv, signal.to),
      sentAt: signal.sentAt,
      matched: signal.matched,
    })));
    return json({ signals }, { headers: { "cache-control": "private, no-store" } });
  },
};
