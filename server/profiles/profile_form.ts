/** What the profile form pages (onboarding, edit) hand to the editor: vocabularies and limits. */
import {
  MAX_PHOTOS,
  MAX_PROMPTS,
  MAX_VIBE_TAGS,
  MIN_AGE,
  MIN_VIBE_TAGS,
  PROMPTS,
  VIBE_TAGS,
} from "@/core/profiles/mod.ts";
import { tagLabel } from "@/components/profile/cards.ts";
import type { Vocabulary } from "@/components/profile/types.ts";

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
