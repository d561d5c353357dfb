import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { reorderPhotos } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const PhotoOrder = z.strictObject({ order: z.array(z.string().max(64)).max(12) });

export const handler: Handlers<unknown, SignedInState> = {
  async PUT(req, ctx) {
    const { order } = await readJsonAs(req, PhotoOrder);
    const profile = await reorderPhotos(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      wallet: ctx.state.member.wallet,
      order,
    });
    return json(ownProfileView(ctx.state, profile));
  },
};
