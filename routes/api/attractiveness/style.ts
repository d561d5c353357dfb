import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { setStyleOptIn } from "@/core/discovery/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const StyleBody = z.object({ optIn: z.boolean() }).strict();

export const handler: Handlers<unknown, SignedInState> = {
  async PUT(req, ctx) {
    const { deps, member } = ctx.state;
    const { optIn } = await readJsonAs(req, StyleBody);
    const result = await setStyleOptIn(deps, { wallet: member.wallet, optIn });
    return json({ optIn: result.optIn }, { headers: { "cache-control": "private, no-store" } });
  },
};
