import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { listLeaderboard, MAX_LEADERBOARD, setLeaderboardOptIn } from "@/core/scoring/mod.ts";
import { cardOf } from "@/components/profile/cards.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";
import { readJsonAs } from "@/server/http/request_body.ts";

const LeaderboardQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(MAX_LEADERBOARD).default(50),
});
const LeaderboardBody = z.strictObject({ optIn: z.boolean() });

const PRIVATE = { "cache-control": "private, no-store" };

export const handler: Handlers<unknown, SignedInState> = {
  async GET(req, ctx) {
    const { deps, member } = ctx.state;
    const { limit } = parseQuery(new URL(req.url), LeaderboardQuery);
    const entries = await listLeaderboard(deps, { viewer: member.wallet, limit });
    return json({
      leaderboard: entries.map(({ rank, score, profile }) => {
        const card = cardOf(profile);
        return {
          rank,
          profileId: profile.id,
          displayName: profile.displayName,
          photo: card.member.photoUrl,
          photoBlurred: card.veiled,
          score,
        };
      }),
    }, { headers: PRIVATE });
  },
  async PUT(req, ctx) {
    const { deps, member } = ctx.state;
    const { optIn } = await readJsonAs(req, LeaderboardBody);
    const result = await setLeaderboardOptIn(deps, { wallet: member.wallet, optIn });
    return json(result, { headers: PRIVATE });
  },
};
