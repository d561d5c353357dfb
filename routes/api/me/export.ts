import type { Handlers } from "$fresh/server.ts";
import { exportMemberData } from "@/core/account/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { accountDeps, exportDownload } from "@/server/account/account_http.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Everything held about the signed-in member, as a JSON download. */
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    return exportDownload(await exportMemberData(accountDeps(deps), member.wallet));
  },
};
