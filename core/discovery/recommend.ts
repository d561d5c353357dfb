/**
 * Recommendations: the candidate pool ranked for one viewer. With enough feedback, by the viewer's
 * preference model (standardised over the eligible candidates); before that (cold start), by
 * recency spread across universities, vibe tags and style clusters. Both add an exposure term
 * (members shown less than average over the last week rise) and push down cards shown to the
 * viewer in the last day. Hard rules always hold and are checked against KV for every profile
 * returned: admitted and not suspended, not hidden, not blocked either way, not the viewer, not
 * matched or signalled, not passed recently, and within the viewer's filters or preferences.
 */
import { BadRequestError } from "@/core/errors.ts";
import { getMany } from "@/core/kv.ts";
import { getMember, type Member, normalizeWallet } from "@/core/members.ts";
import {
  type DiscoveryFilters,
  getProfileByWallet,
  listProfiles,
  matchesPreferences,
  type Preferences,
  preferencesSchema,
  type Profile,
  profileKey,
  profileRecordSchema,
  type PublicProfileView,
  publicView,
} from "@/core/profiles/mod.ts";
import { isBlocked, listBlocked, listMutual, listSent } from "@/core/social/mod.ts";
import {
  effectiveFilters,
  type FeedbackDeps,
  listPasses,
  recentImpressions,
  recordImpressions,
} from "./feedback.ts";
import { type Candidate, candidatePool, noteExposure } from "./pool.ts";
import {
  type Feedback,
  preferenceLogit,
  type PreferenceMl,
  preferenceModel,
} from "./preferences.ts";

/** What ranking needs. */
export interface RecommendDeps extends FeedbackDeps {
  ml: PreferenceMl;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Largest recommendation page. */
export const MAX_RECOMMENDED = 50;
/** Default recommendation page. */
export const DEFAULT_RECOMMENDED = 20;
/** Weight of the exposure term (in standard deviations of the preference score). */
export const EXPOSURE_WEIGHT = 1.5;
const REPEAT_PENALTY = 1;
const RECENCY_DAYS = 14;
const DIVERSITY_PENALTY = 0.35;

/** Options of {@link rankCandidates}. */
export interface RankOptions {
  viewer: string;
  limit: number;
  /** Filters of this request; the saved ones apply when none are given. */
  filters?: DiscoveryFilters;
  /** Weight of the exposure term (default {@link EXPOSURE_WEIGHT}). */
  exposureWeight?: number;
}

/** A ranked profile with the parts of its score. */
export interface RankedProfile {
  profile: Profile;
  member: Member;
  score: number;
  preference: number;
  exposure: number;
}

/** A ranking and how it was made. */
export interface Ranking {
  values: RankedProfile[];
  /** True while the viewer has too little feedback for a model. */
  coldStart: boolean;
  modelVersion: string | null;
}

/** A stable number in [0, 1) for a string (FNV-1a): tie-breaks that vary by viewer and day. */
function unitHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0) / 4294967296;
}

/** Ranks the pool for `viewer`; the first `limit` profiles that pass every hard rule. */
export async function rankCandidates(deps: RecommendDeps, options: RankOptions): Promise<Ranking> {
  const me = normalizeWallet(options.viewer);
  const now = deps.clock.now();
  const [pool, own, sent, mutual, passes, blocked, shown, filters] = await Promise.all([
    candidatePool(deps),
    getProfileByWallet(deps, me),
    listSent(deps.kv, me),
    listMutual(deps.kv, me),
    listPasses(deps.kv, me, now),
    listBlocked(deps.kv, me),
    recentImpressions(deps.kv, me, now - DAY_MS),
    effectiveFilters(deps.kv, me, options.filters),
  ]);
  const preferences: Preferences = {
    ...(own?.preferences ?? preferencesSchema(now).parse({})),
    ...filters,
  };
  const excludedWallets = new Set([
    me,
    ...sent.map((s) => s.to),
    ...mutual.map((m) => m.with),
    ...blocked.map((b) => b.wallet),
  ]);

  const featuresOf = (c: Candidate | undefined) => c?.features ? [c.features] : [];
  const feedback: Feedback = {
    count: sent.length + passes.size,
    winners: sent.flatMap((s) => featuresOf(pool.byWallet.get(s.to))),
    losers: [...passes].sort((a, b) => b[1] - a[1]).flatMap(([id]) =>
      featuresOf(pool.byId.get(id))
    ),
  };
  const stored = await preferenceModel(deps, me, feedback);

  const eligible = pool.candidates.filter((c) =>
    !c.hidden && !excludedWallets.has(c.wallet) && !passes.has(c.id) &&
    matchesPreferences(c.profile, preferences, now)
  );
  if (eligible.length === 0) {
    return { values: [], coldStart: stored === null, modelVersion: stored?.model.version ?? null };
  }

  // Preference part: the model's logit standardised over the eligible, or recency when cold.
  const raw = eligible.map((c) =>
    stored
      ? preferenceLogit(stored.model, c.features)
      : 2 * Math.exp(-Math.max(0, now - c.createdAt) / (RECENCY_DAYS * DAY_MS))
  );
  let preference = raw;
  if (stored) {
    const mean = raw.reduce((s, x) => s + x, 0) / raw.length;
    const sd = Math.sqrt(raw.reduce((s, x) => s + (x - mean) ** 2, 0) / raw.length) || 1;
    preference = raw.map((x) => (x - mean) / sd);
  }
  const meanExposure = pool.candidates.reduce((s, c) => s + c.exposure, 0) /
    pool.candidates.length;
  const weight = options.exposureWeight ?? EXPOSURE_WEIGHT;
  const day = new Date(now).toISOString().slice(0, 10);
  const scored = eligible.map((c, i) => {
    const exposure = weight * Math.max(0, 1 - c.exposure / Math.max(1, meanExposure));
    const score = preference[i] + exposure - (shown.has(c.id) ? REPEAT_PENALTY : 0) +
      0.05 * unitHash(`${me}:${day}:${c.id}`);
    return { candidate: c, score, preference: preference[i], exposure };
  }).sort((a, b) => b.score - a.score);

  const ordered = stored ? scored : spread(scored.slice(0, options.limit * 5));
  const values: RankedProfile[] = [];
  // Hard rules against KV, a batch at a time, in ranked order.
  for (let at = 0; at < ordered.length && values.length < options.limit;) {
    const batch = ordered.slice(at, at + Math.max(10, options.limit - values.length));
    at += batch.length;
    const checked = await admissible(deps.kv, me, batch.map((s) => s.candidate), preferences, now);
    batch.forEach((s, i) => {
      const ok = checked[i];
      if (ok && values.length < options.limit) {
        values.push({ ...ok, score: s.score, preference: s.preference, exposure: s.exposure });
      }
    });
  }
  return { values, coldStart: stored === null, modelVersion: stored?.model.version ?? null };
}

/**
 * Greedy re-ranking for variety: each next pick pays for every earlier pick that shares its
 * university, style cluster or vibe tags.
 */
function spread<T extends { candidate: Candidate; score: number }>(items: T[]): T[] {
  const left = [...items];
  const out: T[] = [];
  const universities = new Map<string, number>();
  const clusters = new Map<number, number>();
  const tags = new Map<string, number>();
  while (left.length) {
    let best = 0;
    let bestScore = -Infinity;
    left.forEach((item, i) => {
      const c = item.candidate;
      const shared = (universities.get(c.profile.university.toLowerCase()) ?? 0) +
        (c.embedding ? clusters.get(c.cluster) ?? 0 : 0) +
        c.profile.vibeTags.reduce((s, t) => s + (tags.get(t) ?? 0), 0) / 3;
      const adjusted = item.score - DIVERSITY_PENALTY * shared;
      if (adjusted > bestScore) [best, bestScore] = [i, adjusted];
    });
    const [item] = left.splice(best, 1);
    const c = item.candidate;
    const uni = c.profile.university.toLowerCase();
    universities.set(uni, (universities.get(uni) ?? 0) + 1);
    if (c.embedding) clusters.set(c.cluster, (clusters.get(c.cluster) ?? 0) + 1);
    for (const t of c.profile.vibeTags) tags.set(t, (tags.get(t) ?? 0) + 1);
    out.push(item);
  }
  return out;
}

/** The current profile and member of each candidate that passes every hard rule now, else null. */
export async function admissible(
  kv: Deno.Kv,
  viewer: string,
  candidates: Pick<Candidate, "id">[],
  preferences: Preferences | null,
  now: number,
): Promise<({ profile: Profile; member: Member } | null)[]> {
  const entries = await getMany(kv, candidates.map((c) => profileKey(c.id)));
  return await Promise.all(entries.map(async (entry) => {
    if (entry.versionstamp === null) return null;
    const profile = profileRecordSchema.parse(entry.value);
    if (profile.hidden || profile.wallet === viewer) return null;
    if (preferences && !matchesPreferences(profile, preferences, now)) return null;
    const [member, blocked] = await Promise.all([
      getMember(kv, profile.wallet),
      isBlocked(kv, viewer, profile.wallet),
    ]);
    if (!member?.membership.admitted || member.suspension || blocked) return null;
    return { profile, member };
  }));
}

/** Public views of ranked profiles for `viewer`. */
export function viewsOf(
  viewer: string,
  ranked: { profile: Profile; member: Member }[],
  now: number,
): PublicProfileView[] {
  return ranked.map(({ profile, member }) =>
    publicView(profile, { viewer: normalizeWallet(viewer), matched: false, now, member })
  );
}

/** Records a page view's impressions and counts them in this process's pool. */
export async function recordServed(
  deps: FeedbackDeps,
  viewer: string,
  profileIds: string[],
): Promise<void> {
  await recordImpressions(deps, viewer, profileIds);
  noteExposure(deps.kv, profileIds);
}

/**
 * `GET /api/discovery/recommended`: the viewer's ranked page as public views; records the
 * impressions. BadRequestError `invalid_limit`.
 */
export async function recommendProfiles(
  deps: RecommendDeps,
  options: { viewer: string; limit?: number; filters?: DiscoveryFilters },
): Promise<{ values: PublicProfileView[]; coldStart: boolean; modelVersion: string | null }> {
  const limit = options.limit ?? DEFAULT_RECOMMENDED;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RECOMMENDED) {
    throw new BadRequestError(
      "invalid_limit",
      `limit: must be a whole number 1–${MAX_RECOMMENDED}`,
    );
  }
  const ranking = await rankCandidates(deps, { ...options, limit });
  const values = viewsOf(options.viewer, ranking.values, deps.clock.now());
  await recordServed(deps, options.viewer, values.map((v) => v.id));
  return { values, coldStart: ranking.coldStart, modelVersion: ranking.modelVersion };
}

/** Options of {@link browseProfiles}: those of `listProfiles`. */
export type BrowseOptions = Parameters<typeof listProfiles>[1] & { filters?: object };

/**
 * The filtered list in creation order (`listProfiles`), with the viewer's saved filters when the
 * request gives none; records the impressions of the page.
 */
export async function browseProfiles(
  deps: Parameters<typeof listProfiles>[0],
  options: BrowseOptions,
): Promise<{ values: PublicProfileView[]; cursor: string }> {
  const filters = await effectiveFilters(deps.kv, options.viewer, options.filters);
  const page = await listProfiles(deps, { ...options, filters });
  await recordServed(deps, options.viewer, page.values.map((v) => v.id));
  return page;
}
