/**
 * "Similar photo style": members whose photos look like a profile's main photo, by the cosine of
 * their style embeddings. Only admitted members who opted in appear, and only those the viewer and
 * they each want to meet (`mutuallyInterested`); the viewer, the profile itself, hidden profiles
 * and anyone blocked either way never do. Each member's choice is kept here and
 * copied into the vector store's payload:
 *   ["style_settings", profileId] → { optIn, updatedAt }   (absent: not chosen, so off)
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { NotFoundError } from "@/core/errors.ts";
import { getMember, normalizeWallet } from "@/core/members.ts";
import {
  getProfile,
  getProfileByWallet,
  type MeetingFields,
  mutuallyInterested,
  type Profile,
  profileIdOf,
} from "@/core/profiles/mod.ts";
import type { Cache } from "@/core/cache/types.ts";
import {
  embeddingVector,
  type PhotoAnalysis,
  readPhotoAnalysis,
} from "@/core/scoring/photo_analysis.ts";
import { getMatch, isBlocked, listBlocked } from "@/core/social/mod.ts";
import type { VectorStore } from "./vector_store.ts";

/** What the style functions need. */
export interface StyleDeps {
  kv: Deno.Kv;
  clock: Clock;
  vectors: VectorStore;
  cache?: Cache;
}

/** Most results one "similar style" request returns. */
export const MAX_SIMILAR = 50;

const styleSettingsKey = (profileId: string): Deno.KvKey => ["style_settings", profileId];
const styleSettingsSchema = z.object({ optIn: z.boolean(), updatedAt: z.number().int() });

/** Whether the profile's member opted in to style matching (false until chosen). */
export async function styleOptInOf(kv: Deno.Kv, profileId: string): Promise<boolean> {
  const entry = await kv.get(styleSettingsKey(profileId));
  return entry.versionstamp !== null && styleSettingsSchema.parse(entry.value).optIn;
}

/**
 * Sets the member's own style-matching choice and updates their points in the vector store.
 * NotFoundError `profile_not_found` when the member has no profile yet.
 */
export async function setStyleOptIn(
  deps: StyleDeps,
  { wallet, optIn }: { wallet: string; optIn: boolean },
): Promise<{ profileId: string; optIn: boolean }> {
  const profileId = await profileIdOf(deps.kv, wallet);
  if (!profileId) throw new NotFoundError("profile_not_found", "Create your profile first.");
  await deps.kv.set(styleSettingsKey(profileId), { optIn, updatedAt: deps.clock.now() });
  await deps.vectors.setPayload(profileId, { styleOptIn: optIn });
  return { profileId, optIn };
}

/**
 * Adds (or replaces) one analysed photo in the vector store, with its member's current admission
 * and style choice as payload. Called after the commit that stored the analysis.
 */
export async function indexPhoto(deps: StyleDeps, analysis: PhotoAnalysis): Promise<void> {
  const profile = await getProfile(deps, analysis.profileId);
  const member = profile ? await getMember(deps.kv, profile.wallet) : null;
  await deps.vectors.upsert([{
    photoId: analysis.photoId,
    vector: embeddingVector(analysis),
    payload: {
      profileId: analysis.profileId,
      admitted: member?.membership.admitted === true,
      styleOptIn: await styleOptInOf(deps.kv, analysis.profileId),
    },
  }]);
}

/** Copies a member's admission into their points' payload (after admission is granted or withdrawn). */
export async function syncStyleAdmission(
  deps: StyleDeps,
  { wallet, admitted }: { wallet: string; admitted: boolean },
): Promise<void> {
  const profileId = await profileIdOf(deps.kv, wallet);
  if (profileId) await deps.vectors.setPayload(profileId, { admitted });
}

/** One member whose photo style is close to the profile's main photo. */
export interface SimilarProfile {
  profileId: string;
  displayName: string;
  /** Cosine similarity of the two photos' style embeddings, in [-1, 1]. */
  similarity: number;
  /** The photo that matched (one of the member's photos). */
  photoId: string;
}

/**
 * Up to `limit` members (1–{@link MAX_SIMILAR}) whose best photo is closest in style to the main
 * photo of `profileId`, best first, one entry per member. An empty list when that profile has no
 * analysed photo. NotFoundError `profile_not_found` when the profile is absent, blocked either way,
 * or hidden from a viewer who has not matched with it.
 */
export async function similarStyle(
  deps: StyleDeps,
  { viewer, profileId, limit }: { viewer: string; profileId: string; limit: number },
): Promise<SimilarProfile[]> {
  const who = normalizeWallet(viewer);
  const target = await getProfile(deps, profileId);
  if (!target) throw new NotFoundError("profile_not_found", "No such profile.");
  if (target.wallet !== who) {
    if (await isBlocked(deps.kv, who, target.wallet)) {
      throw new NotFoundError("profile_not_found", "No such profile.");
    }
    if (target.hidden && !(await getMatch(deps.kv, who, target.wallet))) {
      throw new NotFoundError("profile_not_found", "No such profile.");
    }
  }
  const main = target.photos[0];
  const analysis = main ? await readPhotoAnalysis(deps.kv, main.id) : null;
  if (!analysis) return [];

  const excluded = new Set([target.id]);
  const own = await getProfileByWallet(deps, who);
  if (own) excluded.add(own.id);
  for (const { wallet } of await listBlocked(deps.kv, who)) {
    const id = await profileIdOf(deps.kv, wallet);
    if (id) excluded.add(id);
  }
  // Members who blocked the viewer, and hidden profiles, are found among the results: each one
  // found is excluded and the search asked again, so the list still holds the best `limit`.
  const results: SimilarProfile[] = [];
  const vector = embeddingVector(analysis);
  while (results.length < limit) {
    const matches = await deps.vectors.search({
      vector,
      k: limit - results.length,
      excludeProfileIds: [...excluded],
      styleOptInOnly: true,
    });
    if (matches.length === 0) break;
    for (const match of matches) {
      if (excluded.has(match.profileId)) continue;
      excluded.add(match.profileId);
      const profile = await getProfile(deps, match.profileId);
      if (!profile || !(await shownTo(deps, { wallet: who, meeting: own }, profile))) continue;
      results.push({
        profileId: profile.id,
        displayName: profile.displayName,
        similarity: match.similarity,
        photoId: profile.photos.some((p) => p.id === match.photoId)
          ? match.photoId
          : profile.photos[0]?.id ?? match.photoId,
      });
    }
  }
  return results.sort((a, b) => b.similarity - a.similarity).slice(0, limit);
}

async function shownTo(
  deps: StyleDeps,
  viewer: { wallet: string; meeting: MeetingFields | null },
  profile: Profile,
): Promise<boolean> {
  if (profile.hidden || profile.photos.length === 0) return false;
  if (!mutuallyInterested(viewer.meeting, profile)) return false;
  return !(await isBlocked(deps.kv, viewer.wallet, profile.wallet));
}
