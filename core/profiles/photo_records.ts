/**
 * The records other domains keep beside a photo (its analysis, scores, style vector). The profiles
 * domain does not know them; the composition (`server/profiles/profile_deps.ts`) gives these hooks,
 * so they are written and removed in the very commit that adds or removes the photo, and the
 * indexes outside KV are updated once that commit has landed.
 */
import type { Analysis } from "@/ml-wasm/mod.ts";
import type { CommitExtension } from "./profiles.ts";

/** An accepted photo and its analysis, as the upload committed it. */
export interface AcceptedPhoto {
  profileId: string;
  photoId: string;
  analysis: Analysis;
  analyzedAt: number;
}

/** Photos that left a profile (one deletion, or the whole profile). */
export interface RemovedPhotos {
  profileId: string;
  photoIds: string[];
  wholeProfile: boolean;
}

/** What happens to a photo's companion records when it is added or removed. */
export interface PhotoRecordHooks {
  /** Adds the accepted photo's records to the commit that records the photo. */
  onAccept(op: Deno.AtomicOperation, photo: AcceptedPhoto): void;
  /** After that commit: indexes outside KV. Never throws (a failure is logged, the photo stays). */
  afterAccept(photo: AcceptedPhoto): Promise<void>;
  /** Adds the removal of the records of the photos `before` has and `after` lacks to that commit. */
  onRemove: CommitExtension;
  /** After that commit: indexes outside KV and unbounded leftovers. Never throws. */
  afterRemove(removed: RemovedPhotos): Promise<void>;
}
