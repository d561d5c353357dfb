import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { deletePhoto, openPhotoForViewer } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { objectResponse, requestedRange } from "@/server/http/object_response.ts";
import { profileDeps } from "@/server/profiles/profile_deps.ts";
import { parseQuery } from "@/server/http/query.ts";

const PhotoQuery = z.object({
  size: z.enum(["card", "full"], { error: "must be card or full" }).default("full"),
  /** What the page expects (see `photoUrl`); it never decides what is served. */
  v: z.enum(["veiled", "open"], { error: "must be veiled or open" }).optional(),
});

export const handler: Handlers<unknown, SignedInState> = {
  async GET(req, ctx) {
    const { size, v } = parseQuery(ctx.url, PhotoQuery);
    const { grant, object } = await openPhotoForViewer(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      photoId: ctx.params.photoId,
      viewer: ctx.state.member.wallet,
      size,
      range: requestedRange(req),
    });
    return await objectResponse(req, object, {
      // Cached only under a URL that says what it holds: a blur never outlives a match in the
      // browser's cache, nor a real photo an unmatch.
      cacheControl: v !== undefined && (v === "veiled") === grant.blurred
        ? "private, max-age=300"
        : "private, no-store",
      headers: {
        vary: "Cookie",
        "x-photo-rendition": grant.rendition,
        "x-photo-blurred": String(grant.blurred),
      },
    });
  },
  async DELETE(_req, ctx) {
    await deletePhoto(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      wallet: ctx.state.member.wallet,
      photoId: ctx.params.photoId,
    });
    return new Response(null, { status: 204 });
  },
};
