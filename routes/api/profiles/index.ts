import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { listProfiles, MAX_PAGE_SIZE } from "@/core/profiles/discovery.ts";
import { createProfile } from "@/core/profiles/profiles.ts";
import { MAX_AGE, MIN_AGE } from "@/core/profiles/schema.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http_errors.ts";
import { ownProfileView, profileDeps } from "@/server/profile_deps.ts";
import { parseQuery } from "@/server/query.ts";
import { readJson } from "@/server/request_body.ts";
import { signalStates } from "@/server/social.ts";

const age = z.coerce.number({ error: "must be a whole number" }).int("must be a whole number")
  .min(MIN_AGE, `must be at least ${MIN_AGE}`).max(MAX_AGE, `must be at most ${MAX_AGE}`);

const DiscoveryQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(
    1,
    "must be at least 1",
  )
    .max(MAX_PAGE_SIZE, `must be at most ${MAX_PAGE_SIZE}`).optional(),
  ageMin: age.optional(),
  ageMax: age.optional(),
  university: z.array(z.string().max(80)).max(20).optional(),
  year: z.array(z.coerce.number({ error: "must be a year" }).int("must be a year")).max(12)
    .optional(),
  tag: z.array(z.string().max(40)).max(8).optional(),
}).transform(({ cursor, limit, ageMin, ageMax, university, year, tag }) => ({
  cursor,
  limit,
  filters: {
    ...(ageMin !== undefined || ageMax !== undefined
      ? { ageRange: { min: ageMin ?? MIN_AGE, max: ageMax ?? MAX_AGE } }
      : {}),
    ...(university?.length ? { universities: university } : {}),
    ...(year?.length ? { graduationYears: year } : {}),
    ...(tag?.length ? { tags: tag } : {}),
  },
}));

export const handler: Handlers<unknown, SignedInState> = {
  async GET(_req, ctx) {
    const query = parseQuery(ctx.url, DiscoveryQuery, {
      repeated: ["university"],
      commaSeparated: ["year", "tag"],
    });
    const { deps, member } = ctx.state;
    const page = await listProfiles(profileDeps(deps), { viewer: member.wallet, ...query });
    // Where the viewer stands with each member (`none`, `sent`, `matched`), for the cards'
    // SignalButton; what others sent the viewer stays secret.
    const signals = await signalStates(deps, member.wallet, page.values);
    return json({ ...page, signals }, { headers: { "cache-control": "private, no-store" } });
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
