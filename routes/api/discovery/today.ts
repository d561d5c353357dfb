import type { Handlers } from "$fresh/server.ts";
import { todaysCircle } from "@/core/discovery/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { recommendDeps } from "@/server/discovery/discovery_deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { signalStates } from "@/server/social/signal_states.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const circle = await todaysCircle(recommendDeps(deps), member.wallet);
    const signals = await signalStates(deps, member.wallet, circle.values);
    return json({ ...circle, signals }, { headers: { "cache-control": "private, no-store" } });
  },
};
