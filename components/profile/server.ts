/** Server side of the profile pages: the core's dependencies, the member's own profile, vocabularies. */
import { isBlocked } from "@/core/social/safety.ts";
import { getMatch } from "@/core/social/signals.ts";
import { getProfileByWallet } from "@/core/profiles/profiles.ts";
import { ownerView } from "@/core/profiles/views.ts";
import { MAX_PHOTOS, MIN_AGE } from "@/core/profiles/schema.ts";
import {
  MAX_PROMPTS,
  MAX_VIBE_TAGS,
  MIN_VIBE_TAGS,
  PROMPTS,
  VIBE_TAGS,
} from "@/core/profiles/vibe_tags.ts";
import type { Member } from "@/core/members.ts";
import type { AppDeps } from "@/server/deps.ts";
import { tagLabel } from "./cards.ts";
import type { OwnerProfileView, Vocabulary } from "./types.ts";

/** What the profile and discovery functions of the core need, from the app's dependencies. */
export function coreDeps(deps: AppDeps) {
  const { kv, clock, cache } = deps;
  return {
    kv,
    clock,
    cache,
    isBlocked: (a: string, b: string) => isBlocked(kv, a, b),
    isMatched: async (a: string, b: string) => (await getMatch(kv, a, b)) !== null,
  };
}

/** The signed-in member's own profile as its owner sees it, or null when they have none. */
export async function ownProfile(deps: AppDeps, member: Member): Promise<OwnerProfileView | null> {
  const profile = await getProfileByWallet(deps, member.wallet);
  if (!profile) return null;
  return ownerView(profile, {
    viewer: member.wallet,
    matched: false,
    now: deps.clock.now(),
    member,
  });
}

/** The curated tags and prompts with their limits. */
export function vocabulary(): Vocabulary {
  return {
    tags: VIBE_TAGS.map((id) => ({ id, label: tagLabel(id) })),
    prompts: Object.entries(PROMPTS).map(([id, label]) => ({ id, label })),
    minTags: MIN_VIBE_TAGS,
    maxTags: MAX_VIBE_TAGS,
    maxPrompts: MAX_PROMPTS,
    maxPhotos: MAX_PHOTOS,
  };
}

/** The latest date of birth (`YYYY-MM-DD`) of someone 18 on `now`, for the date input's `max`. */
export function latestBirthDate(now: number): string {
  const date = new Date(now);
  date.setUTCFullYear(date.getUTCFullYear() - MIN_AGE);
  return date.toISOString().slice(0, 10);
}
