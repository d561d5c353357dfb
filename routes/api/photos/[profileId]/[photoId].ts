import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { openPhotoForViewer } from "@/core/profiles/photo_access.ts";
import type { SignedInState } from "@/server/deps.ts";
import { objectResponse, requestedRange } from "@/server/object_response.ts";
import { profileDeps } from "@/server/profile_deps.ts";
import { parseQuery } from "@/server/query.ts";

const PhotoQuery = z.object({
  size: z.enum(["card", "full"], { error: "must be card or full" }).default("full"),
});

export const handler: Handlers<unknown, SignedInState> = {
  async GET(req, ctx) {
    const { size } = parseQuery(ctx.url, PhotoQuery);
    const { grant, object } = await openPhotoForViewer(profileDeps(ctx.state.deps), {
      profileId: ctx.params.profileId,
      photoId: ctx.params.photoId,
      viewer: ctx.state.member.wallet,
      size,
      range: requestedRange(req),
    });
    return await objectResponse(req, object, {
      cacheControl: "private, max-age=300",
      headers: {
        vary: "Cookie",
        "x-photo-rendition": grant.rendition,
        "x-photo-blurred": String(grant.blurred),
      },
    });
  },
};
