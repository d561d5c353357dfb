import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { passProfile } from "@/core/discovery/mod.ts";
import { BadRequestError } from "@/core/errors.ts";
import type { SignedInState } from "@/server/deps.ts";
import { readForm } from "@/server/http/request_body.ts";

const PassForm = z.object({
  profileId: z.string({ error: "Choose a member to pass on." })
    .regex(/^[0-9A-Za-z]{26}$/, "That is not a member of the circle."),
  /** The vault row the form sat in, to return to it. */
  from: z.enum(["today", "recommended"]).default("today"),
});

export const handler: Handlers<unknown, SignedInState> = {
  /** "Pass" on a vault card (a plain form): recorded like the API's pass, then back to the row. */
  async POST(req, ctx) {
    const parsed = PassForm.safeParse(Object.fromEntries(await readForm(req)));
    if (!parsed.success) throw new BadRequestError("invalid_form", parsed.error.issues[0].message);
    const { profileId, from } = parsed.data;
    await passProfile(ctx.state.deps, ctx.state.member.wallet, profileId);
    return new Response(null, { status: 303, headers: { location: `/vault#${from}` } });
  },
};
