import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { listOwnScores, type PhotoScore, scoreOwnPhoto } from "@/core/scoring/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readJsonAs } from "@/server/http/request_body.ts";
import { scoringDeps } from "@/server/profiles/profile_deps.ts";

const ScoreBody = z.strictObject({
  photoId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, "must be a photo id"),
});

const PRIVATE = { "cache-control": "private, no-store" };

/** A stored score as its owner reads it (the profile id is the caller's own, left out). */
const scoreView = ({ profileId: _, ...score }: PhotoScore) => score;

export const handler: Handlers<unknown, SignedInState> = {
  async POST(req, ctx) {
    const { deps, member } = ctx.state;
    const { photoId } = await readJsonAs(req, ScoreBody);
    const score = await scoreOwnPhoto(scoringDeps(deps), { wallet: member.wallet, photoId });
    return json({ score: scoreView(score) }, { status: 201, headers: PRIVATE });
  },
  async GET(_req, ctx) {
    const { deps, member } = ctx.state;
    const { latest, history } = await listOwnScores(deps, { wallet: member.wallet });
    return json(
      { latest: latest.map(scoreView), history: history.map(scoreView) },
      { headers: PRIVATE },
    );
  },
};
