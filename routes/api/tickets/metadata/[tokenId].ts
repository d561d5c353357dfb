import type { Handlers } from "$fresh/server.ts";
import { NotFoundError } from "@/core/errors.ts";
import { ticketMetadataKey } from "@/core/events/mod.ts";
import type { AppState } from "@/server/deps.ts";
import { objectResponse } from "@/server/http/object_response.ts";

export const handler: Handlers<unknown, AppState> = {
  /** PUBLIC: a ticket's ERC-721 metadata JSON (the contract's tokenURI points here). */
  async GET(req, ctx) {
    const tokenId = ctx.params.tokenId.replace(/\.json$/, "");
    if (!/^[0-9]{1,78}$/.test(tokenId)) {
      throw new NotFoundError("token_not_found", "No such token.");
    }
    const object = await ctx.state.deps.objects.get(ticketMetadataKey(tokenId));
    if (!object) throw new NotFoundError("token_not_found", "No such token.");
    return await objectResponse(req, object, {
      cacheControl: "public, max-age=60",
      headers: { "access-control-allow-origin": "*" },
    });
  },
};
