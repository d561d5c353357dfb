/**
 * Recommendations: the candidate pool ranked for one viewer. With enough feedback, by the viewer's
 * preference model (standardised over the eligible candidates); before that (cold start), by
 * recency spread across universities, vibe tags and style clusters. Both add an exposure term
 * (members shown less than average over the last week rise) and push down cards shown to the
 * viewer in the last day. Hard rules always hold and are checked against KV for every profile
 * returned: admitted and not suspended, not hidden, not blocked either way, not the viewer, not
 * matched or signalled, not passed recently, each wanting to meet the other (gender and who they
 * want to meet, both ways: a filter, never a score), and within the viewer's filters or
 * preferences.
 */
import { BadRequestError } from "@/core/errors.ts";
import { getMany } from "@/core/kv.ts";
import { type Member, memberFromEntry, memberKey, normalizeWallet } from "@/core/members.ts";
import {
  type DiscoveryFilters,
  getProfileByWallet,
  listProfiles,
  matchesPreferences,
  type MeetingFields,
  mutuallyInterested,
  preferenceMatcher,
  type Preferences,
  preferencesSchema,
  type Profile,
  profileKey,
  profileRecordSchema,
  type PublicProfileView,
  publicView,
} from "@/core/profiles/mod.ts";
import {
  blockedFromEntries,
  blockPairKeys,
  listBlocked,
  listMutual,
  listSent,
} from "@/core/social/mod.ts";
import {
  effectiveFilters,
  type FeedbackDeps,
  listPasses,
  recentImpressions,
  recordImpressions,
} from "./feedback.ts";
import { type Candidate, candidatePool, featureColumn, noteExposure } from "./pool.ts";
import { type Feedback, type PreferenceMl, preferenceModel } from "./preferences.ts";

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
  /** The viewer's own profile when the caller has already read it (null: none). */
  own?: Profile | null;
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

const FNV_OFFSET = 0x811c9dc5;

/**
 * FNV-1a of `text` continued from state `h`: the tie-break of a candidate is the hash of
 * `viewer:day:profileId` mapped to [0, 1), and the shared prefix is hashed once per request.
 */
function hashText(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** {@link preferenceLogit} of pool candidate `i` from the pool's feature columns. */
function poolLogit(
  features: { weight: number; mean: number; sd: number }[],
  columns: Float64Array[],
  i: number,
): number {
  let logit = 0;
  for (let j = 0; j < features.length; j++) {
    const x = columns[j][i];
    if (Number.isNaN(x)) continue;
    const f = features[j];
    const z = Math.max(-3, Math.min(3, (x - f.mean) / (f.sd > 0 ? f.sd : 1)));
    logit += f.weight * z;
  }
  return logit;
}

/** True when index `a` ranks before `b`: higher score, or the same score and earlier. */
function before(scores: Float64Array, a: number, b: number): boolean {
  return scores[a] > scores[b] || (scores[a] === scores[b] && a < b);
}

/** The indices of the `k` best scores, best first (a bounded heap whose root is the worst kept). */
function topIndices(scores: Float64Array, k: number): number[] {
  const heap: number[] = [];
  const down = (at: number) => {
    for (;;) {
      const l = 2 * at + 1, r = l + 1;
      let worst = at;
      if (l < heap.length && before(scores, heap[worst], heap[l])) worst = l;
      if (r < heap.length && before(scores, heap[worst], heap[r])) worst = r;
      if (worst === at) return;
      [heap[at], heap[worst]] = [heap[worst], heap[at]];
      at = worst;
    }
  };
  for (let i = 0; i < scores.length; i++) {
    if (heap.length < k) {
      heap.push(i);
      for (let at = heap.length - 1; at > 0;) {
        const parent = (at - 1) >> 1;
        if (!before(scores, heap[parent], heap[at])) break;
        [heap[at], heap[parent]] = [heap[parent], heap[at]];
        at = parent;
      }
    } else if (k > 0 && before(scores, i, heap[0])) {
      heap[0] = i;
      down(0);
    }
  }
  return heap.sort((a, b) => before(scores, a, b) ? -1 : 1);
}

/** The `head` indices' items, then (only if asked for) every other index's, all best first. */
function* rankedTail<T>(
  scores: Float64Array,
  head: number[],
  item: (k: number) => T,
): Generator<T> {
  for (const k of head) yield item(k);
  if (head.length === scores.length) return;
  const taken = new Set(head);
  const rest: number[] = [];
  for (let k = 0; k < scores.length; k++) if (!taken.has(k)) rest.push(k);
  rest.sort((a, b) => before(scores, a, b) ? -1 : 1);
  for (const k of rest) yield item(k);
}

/** The next `count` items of `items` (fewer at its end). */
function take<T>(items: Iterator<T>, count: number): T[] {
  const out: T[] = [];
  while (out.length < count) {
    const next = items.next();
    if (next.done) break;
    out.push(next.value);
  }
  return out;
}

/** Ranks the pool for `viewer`; the first `limit` profiles that pass every hard rule. */
export async function rankCandidates(deps: RecommendDeps, options: RankOptions): Promise<Ranking> {
  const me = normalizeWallet(options.viewer);
  const now = deps.clock.now();
  const [pool, own, sent, mutual, passes, blocked, shown, filters] = await Promise.all([
    candidatePool(deps),
    options.own !== undefined ? options.own : getProfileByWallet(deps, me),
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

  // Eligible candidates by pool index, checked with the preferences folded once.
  const matches = preferenceMatcher(preferences, now);
  const all = pool.candidates;
  const eligible = new Int32Array(all.length);
  let n = 0;
  for (let i = 0; i < all.length; i++) {
    const c = all[i];
    if (
      !c.hidden && !excludedWallets.has(c.wallet) && !passes.has(c.id) &&
      mutuallyInterested(own, c.meeting) && matches(c.profile, c.prepared)
    ) eligible[n++] = i;
  }
  if (n === 0) {
    return { values: [], coldStart: stored === null, modelVersion: stored?.model.version ?? null };
  }

  // Preference part: the model's logit standardised over the eligible, or recency when cold.
  const preference = new Float64Array(n);
  if (stored) {
    const columns = stored.model.features.map((f) => featureColumn(pool, f.name));
    for (let k = 0; k < n; k++) {
      const i = eligible[k];
      preference[k] = all[i].features ? poolLogit(stored.model.features, columns, i) : 0;
    }
    let sum = 0;
    for (let k = 0; k < n; k++) sum += preference[k];
    const mean = sum / n;
    let squares = 0;
    for (let k = 0; k < n; k++) squares += (preference[k] - mean) ** 2;
    const sd = Math.sqrt(squares / n) || 1;
    for (let k = 0; k < n; k++) preference[k] = (preference[k] - mean) / sd;
  } else {
    for (let k = 0; k < n; k++) {
      const c = all[eligible[k]];
      preference[k] = 2 * Math.exp(-Math.max(0, now - c.createdAt) / (RECENCY_DAYS * DAY_MS));
    }
  }
  let exposureSum = 0;
  for (const c of all) exposureSum += c.exposure;
  const meanExposure = exposureSum / all.length;
  const weight = options.exposureWeight ?? EXPOSURE_WEIGHT;
  const day = new Date(now).toISOString().slice(0, 10);
  const seed = hashText(FNV_OFFSET, `${me}:${day}:`);
  const exposures = new Float64Array(n);
  const scores = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const c = all[eligible[k]];
    const exposure = weight * Math.max(0, 1 - c.exposure / Math.max(1, meanExposure));
    exposures[k] = exposure;
    scores[k] = preference[k] + exposure - (shown.has(c.id) ? REPEAT_PENALTY : 0) +
      0.05 * ((hashText(seed, c.id) >>> 0) / 4294967296);
  }
  const scoredAt = (k: number) => ({
    candidate: all[eligible[k]],
    score: scores[k],
    preference: preference[k],
    exposure: exposures[k],
  });

  // Best first, ties in pool order (as a stable sort by score): a heap picks the head, the rest
  // is sorted only when the head runs out of admissible profiles.
  const head = topIndices(scores, options.limit * 5);
  const ordered = stored
    ? rankedTail(scores, head, scoredAt)
    : spread(head.map(scoredAt))[Symbol.iterator]();
  const values: RankedProfile[] = [];
  // Hard rules against KV, a batch at a time, in ranked order.
  while (values.length < options.limit) {
    const batch = take(ordered, Math.max(10, options.limit - values.length));
    if (batch.length === 0) break;
    const checked = await admissible(
      deps.kv,
      { wallet: me, meeting: own },
      batch.map((s) => s.candidate),
      preferences,
      now,
    );
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

/**
 * The current profile and member of each candidate that passes every hard rule now, else null.
 * `seeker.meeting` is the viewer's own gender and who they want to meet (null: no profile, so
 * no one passes).
 */
export async function admissible(
  kv: Deno.Kv,
  seeker: { wallet: string; meeting: MeetingFields | null },
  candidates: Pick<Candidate, "id">[],
  preferences: Preferences | null,
  now: number,
): Promise<({ profile: Profile; member: Member } | null)[]> {
  const viewer = seeker.wallet;
  const entries = await getMany(kv, candidates.map((c) => profileKey(c.id)));
  const profiles = entries.map((entry) => {
    if (entry.versionstamp === null) return null;
    const profile = profileRecordSchema.parse(entry.value);
    if (profile.hidden || profile.wallet === viewer) return null;
    if (!mutuallyInterested(seeker.meeting, profile)) return null;
    if (preferences && !matchesPreferences(profile, preferences, now)) return null;
    return profile;
  });
  // The member record and both block keys of every profile still in, in one batched read.
  const keys = profiles.flatMap((profile) =>
    profile
      ? [memberKey(normalizeWallet(profile.wallet)), ...blockPairKeys(viewer, profile.wallet)]
      : []
  );
  const records = await getMany(kv, keys);
  let at = 0;
  return profiles.map((profile) => {
    if (!profile) return null;
    const [memberEntry, ...blockEntries] = records.slice(at, at += 3);
    const member = memberFromEntry(memberEntry);
    if (!member?.membership.admitted || member.suspension || blockedFromEntries(blockEntries)) {
      return null;
    }
    return { profile, member };
  });
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
