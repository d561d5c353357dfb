/**
 * The vault's two ranked rows for one viewer: today's circle (the day's stored batch) and
 * "Recommended" (the viewer's ranking, less anyone already in today's circle). Profiles the viewer
 * passed on leave both rows at once; every card shown is recorded as one page view's impressions,
 * as the discovery API does.
 */
import { normalizeWallet } from "@/core/members.ts";
import { getProfileByWallet, type Profile, type PublicProfileView } from "@/core/profiles/mod.ts";
import { dayKeyFor } from "@/core/social/mod.ts";
import { listPasses } from "./feedback.ts";
import {
  admissible,
  rankCandidates,
  type RecommendDeps,
  recordServed,
  viewsOf,
} from "./recommend.ts";
import { ensureTodaysCircle } from "./today.ts";

/** Cards in the vault's "Recommended" row by default. */
export const VAULT_RECOMMENDED = 6;

/** The vault's rows. */
export interface VaultPicks {
  /** The UTC day of today's circle. */
  day: string;
  today: PublicProfileView[];
  recommended: PublicProfileView[];
  /** True while the viewer has too little feedback for a model of their own. */
  coldStart: boolean;
}

/**
 * Today's circle (less anyone passed on, hidden, blocked or no longer admitted since it was made)
 * and up to `recommended` further ranked profiles; records the impressions of both in one commit.
 */
export async function vaultPicks(
  deps: RecommendDeps,
  { viewer, recommended = VAULT_RECOMMENDED, own: known }: {
    viewer: string;
    recommended?: number;
    /** The viewer's own profile when the caller has already read it (null: none). */
    own?: Profile | null;
  },
): Promise<VaultPicks> {
  const me = normalizeWallet(viewer);
  const now = deps.clock.now();
  const day = dayKeyFor(now);
  const [ids, passes, own] = await Promise.all([
    ensureTodaysCircle(deps, me, day),
    listPasses(deps.kv, me, now),
    known !== undefined ? known : getProfileByWallet(deps, me),
  ]);
  const checked = await admissible(
    deps.kv,
    { wallet: me, meeting: own },
    ids.filter((id) => !passes.has(id)).map((id) => ({ id })),
    null,
    now,
  );
  const today = checked.flatMap((c) => c ? [c] : []);
  const inToday = new Set(ids);
  const ranking = await rankCandidates(deps, {
    viewer: me,
    limit: recommended + ids.length,
    own,
  });
  const picks = ranking.values.filter((r) => !inToday.has(r.profile.id)).slice(0, recommended);
  const views = { today: viewsOf(me, today, now), recommended: viewsOf(me, picks, now) };
  await recordServed(deps, me, [...views.today, ...views.recommended].map((v) => v.id));
  return { day, ...views, coldStart: ranking.coldStart };
}
