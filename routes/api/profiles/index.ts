import type { Handlers } from "$fresh/server.ts";
import { createProfile } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { browseResponse } from "@/server/discovery/browse.ts";
import { json } from "@/server/http/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";
import { readJson } from "@/server/http/request_body.ts";

export const handler: Handlers<unknown, SignedInState> = {
  GET(_req, ctx) {
    return browseResponse(ctx.url, ctx.state);
  },
  async POST(req, ctx) {
    const input = await readJson(req);
    const profile = await createProfile(
      profileDeps(ctx.state.deps),
      ctx.state.member.wallet,
      input,
    );
    return json({ profile: ownProfileView(ctx.state, profile) }, { status: 201 });
  },
};
