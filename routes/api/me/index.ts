import type { Handlers } from "$fresh/server.ts";
import { deleteAccount, deleteConfirmationSchema } from "@/core/account/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { accountDeps, signedOut } from "@/server/account/account_http.ts";

export const handler: Handlers<unknown, SignedInState> = {
  /** Deletes the signed-in member's account after the typed confirmation, and signs them out. */
  async DELETE(req, ctx) {
    const { deps, member } = ctx.state;
    await readJsonAs(req, deleteConfirmationSchema);
    const report = await deleteAccount(accountDeps(deps), member.wallet);
    return signedOut(json({ deleted: report.finished }), ctx.url);
  },
};
