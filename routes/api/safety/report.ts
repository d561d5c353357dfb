import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { REPORT_RATE_LIMIT, REPORT_TEXT_MAX, reportMember } from "@/core/social/mod.ts";
import { enforceRateLimit } from "@/core/cache/rate_limit.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { walletOfProfile } from "@/server/social/profile_lookup.ts";

const ReportBody = z.object({
  profileId: z.string().min(1).max(64),
  reason: z.string().max(40),
  text: z.string().trim().max(
    REPORT_TEXT_MAX,
    `must be at most ${REPORT_TEXT_MAX.toLocaleString("en")} characters`,
  ).default(""),
}).strict();

export const handler: Handlers<unknown, SignedInState> = {
  /**
   * Stores a report for review (`deno task reports`): rate limited per member, one open report per
   * member reported (409 `report_already_open`).
   */
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { profileId, reason, text } = await readJsonAs(req, ReportBody);
    await enforceRateLimit(deps.cache, REPORT_RATE_LIMIT, member.wallet);
    const report = await reportMember(deps.kv, deps.clock, {
      reporter: member.wallet,
      reported: await walletOfProfile(deps, profileId),
      reason,
      text,
    });
    return json({ id: report.id, status: report.status }, { status: 201 });
  },
};
