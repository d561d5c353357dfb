import type { Handlers } from "$fresh/server.ts";
import type { SignedInState } from "@/server/deps.ts";
import { browseResponse } from "@/server/discovery/browse.ts";

export const handler: Handlers<unknown, SignedInState> = {
  GET(_req, ctx) {
    return browseResponse(ctx.url, ctx.state);
  },
};
