/**
 * What a member's own score page shows, read in one place: each of their current photos with its
 * latest score (percentile against today's population) and its history oldest first, how many
 * photos the circle has scored, and whether they chose to appear on the leaderboard. Only the
 * owner's records are read; nothing here is ever shown to anyone else.
 */
import { profileIdOf, readProfile } from "@/core/profiles/mod.ts";
import { normalizeWallet } from "@/core/members.ts";
import {
  type PhotoScore,
  readBest,
  readHistogram,
  readLeaderboardSettings,
} from "./score_records.ts";
import { listOwnScores } from "./scores.ts";

/** One of the member's photos with its latest score (null: never scored) and every scoring. */
export interface OwnPhotoScores {
  photoId: string;
  latest: PhotoScore | null;
  /** Every scoring of the photo, oldest first (each keeps its own `modelVersion`). */
  history: PhotoScore[];
}

/** The member's score page: their photos in profile order, the population, their choice. */
export interface ScoreOverview {
  profileId: string | null;
  photos: OwnPhotoScores[];
  /** Photos in the circle with a score (each photo's latest counts once). */
  scoredPhotos: number;
  /** Whether the member chose to appear on the leaderboard. */
  leaderboardOptIn: boolean;
}

/**
 * The member's own photos with their scores and histories, the number of scored photos in the
 * circle and their leaderboard choice. Without a profile: no photos, not opted in.
 */
export async function scoreOverview(
  deps: { kv: Deno.Kv },
  { wallet }: { wallet: string },
): Promise<ScoreOverview> {
  const me = normalizeWallet(wallet);
  const profileId = await profileIdOf(deps.kv, me);
  const { profile } = profileId ? await readProfile(deps.kv, profileId) : { profile: null };
  if (!profile || !profileId) {
    return { profileId: null, photos: [], scoredPhotos: 0, leaderboardOptIn: false };
  }
  const [own, counts, settings] = await Promise.all([
    listOwnScores(deps, { wallet: me }),
    readHistogram(deps.kv),
    readLeaderboardSettings(deps.kv, profileId),
  ]);
  const latestOf = new Map(own.latest.map((score) => [score.photoId, score]));
  return {
    profileId,
    photos: profile.photos.map((photo) => {
      return {
        photoId: photo.id,
        latest: latestOf.get(photo.id) ?? null,
        history: own.history.filter((s) => s.photoId === photo.id).reverse(),
      };
    }),
    scoredPhotos: counts.reduce((sum, n) => sum + n, 0),
    leaderboardOptIn: settings.optIn,
  };
}

/** The member's own place in the leaderboard's terms. */
export interface LeaderboardStanding {
  /** The member's profile (null without one). */
  profileId: string | null;
  /** Whether the member chose to appear. */
  optIn: boolean;
  /** Their best photo's latest score (null: none scored). */
  best: number | null;
}

/** The member's leaderboard choice and best score (not opted in, no score without a profile). */
export async function leaderboardStanding(
  deps: { kv: Deno.Kv },
  { wallet }: { wallet: string },
): Promise<LeaderboardStanding> {
  const profileId = await profileIdOf(deps.kv, normalizeWallet(wallet));
  if (!profileId) return { profileId: null, optIn: false, best: null };
  const [settings, { best }] = await Promise.all([
    readLeaderboardSettings(deps.kv, profileId),
    readBest(deps.kv, profileId),
  ]);
  return { profileId, optIn: settings.optIn, best: best?.score ?? null };
}
