import type { Handlers } from "$fresh/server.ts";
import { NotFoundError } from "@/core/errors.ts";
import { getProfileByWallet } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const profile = await getProfileByWallet(
      profileDeps(ctx.state.deps),
      ctx.state.member.wallet,
    );
    if (!profile) throw new NotFoundError("profile_not_found", "You have no profile yet.");
    return json(ownProfileView(ctx.state, profile), { headers: { "cache-control": "no-store" } });
  },
};
