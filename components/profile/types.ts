/** Shapes the profile pages hand their islands (serializable only). */
import type {
  Badges,
  OwnerProfileView,
  PhotoView,
  PublicProfileView,
} from "@/core/profiles/views.ts";

export type { Badges, OwnerProfileView, PhotoView, PublicProfileView };

/** A curated choice: its stable id and what the member reads. */
export interface Choice {
  id: string;
  label: string;
}

/** The curated vocabularies and their limits, handed to the form islands as props. */
export interface Vocabulary {
  tags: Choice[];
  prompts: Choice[];
  minTags: number;
  maxTags: number;
  maxPrompts: number;
  maxPhotos: number;
}

/** Field path → message. */
export type Errors = Record<string, string>;
