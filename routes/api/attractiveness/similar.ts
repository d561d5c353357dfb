import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import { MAX_SIMILAR, similarStyle } from "@/core/discovery/mod.ts";
import { photoUrl } from "@/components/profile/urls.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { parseQuery } from "@/server/http/query.ts";

const SimilarQuery = z.object({
  profileId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, "must be a profile id"),
  limit: z.coerce.number().int().min(1).max(MAX_SIMILAR).default(10),
}).strict();

export const handler: Handlers<unknown, SignedInState> = {
  async GET(req, ctx) {
    const { deps, member } = ctx.state;
    const { profileId, limit } = parseQuery(new URL(req.url), SimilarQuery);
    const similar = await similarStyle(deps, { viewer: member.wallet, profileId, limit });
    return json({
      similar: similar.map((s) => ({
        profileId: s.profileId,
        displayName: s.displayName,
        similarity: s.similarity,
        photo: photoUrl(s.profileId, s.photoId, "card"),
      })),
    }, { headers: { "cache-control": "private, no-store" } });
  },
};
