import type { Handlers } from "$fresh/server.ts";
import { deleteProfile, loadProfileView, updateProfile } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";
import { readJson } from "@/server/http/request_body.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const view = await loadProfileView(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      viewer: ctx.state.member.wallet,
    });
    return json(view, { headers: { "cache-control": "private, no-store" } });
  },
  async PUT(req, ctx) {
    const input = await readJson(req);
    const profile = await updateProfile(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      wallet: ctx.state.member.wallet,
      input,
    });
    return json(ownProfileView(ctx.state, profile));
  },
  async DELETE(_req, ctx) {
    await deleteProfile(profileDeps(ctx.state.deps), {
      profileId: ctx.params.id,
      wallet: ctx.state.member.wallet,
    });
    return new Response(null, { status: 204 });
  },
};
