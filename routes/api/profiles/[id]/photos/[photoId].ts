import type { Handlers } from "$fresh/server.ts";
import { deletePhoto } from "@/core/profiles/photos.ts";
import type { SignedInState } from "@/server/deps.ts";
import { profileDeps } from "@/server/profile_deps.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async DELETE(_req, ctx) {
    await deletePhoto(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      wallet: ctx.state.member.wallet,
      photoId: ctx.params.photoId,
    });
    return new Response(null, { status: 204 });
  },
};
