import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { sendSignal } from "@/core/social/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";

/** The recipient is named by profile id only; the wallet is looked up here, never taken from clients. */
const SendBody = z.object({ to: z.string().min(1).max(64) }).strict();

export const handler: Handlers<unknown, SignedInState> = {
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { to } = await readJsonAs(req, SendBody);
    const result = await sendSignal(deps.kv, deps.clock, {
      from: member.wallet,
      to: await walletOfProfile(deps, to),
      dailyQuota: deps.config.social.signalDailyQuota,
    });
    return json({
      status: result.status,
      matched: result.match !== null,
      matchId: result.match?.pairId ?? null,
      sentAt: result.sentAt,
    }, { headers: { "cache-control": "private, no-store" } });
  },
};
