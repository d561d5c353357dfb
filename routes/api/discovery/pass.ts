import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { passProfile } from "@/core/discovery/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const PassBody = z.strictObject({ profileId: z.string().max(64) });

export const handler: Handlers<unknown, SignedInState> = {
  async POST(req, ctx) {
    const { profileId } = await readJsonAs(req, PassBody);
    const result = await passProfile(ctx.state.deps, ctx.state.member.wallet, profileId);
    return json(result, { status: result.status === "passed" ? 201 : 200 });
  },
};
