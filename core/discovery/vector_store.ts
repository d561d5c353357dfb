/**
 * The vector store: photo-style embeddings (256-d, int8, L2-normalised before quantisation) with the
 * few payload fields discovery filters on. Two adapters implement it and pass one contract suite:
 * the embedded WASM int8 index (default) and Qdrant (`QDRANT_URL`). Face-identity descriptors are
 * never stored here: the embedding describes a photo's style (colour, gradients, composition).
 */
import { BadRequestError } from "@/core/errors.ts";

/** Dimensions of a style embedding. */
export const STYLE_DIMENSIONS = 256;

/** What a search may filter on, kept beside each vector. */
export interface StylePayload {
  /** The profile the photo belongs to. */
  profileId: string;
  /** Whether the member is admitted (only admitted members are ever returned). */
  admitted: boolean;
  /** Whether the member chose to appear in "similar photo style" (off until chosen). */
  styleOptIn: boolean;
}

/** One photo's vector and payload; the photo id is the point's id. */
export interface VectorPoint {
  photoId: string;
  vector: Int8Array;
  payload: StylePayload;
}

/** A top-k query. Results are always admitted members, never in `excludeProfileIds`. */
export interface VectorQuery {
  vector: Int8Array;
  k: number;
  /** The viewer, and members blocked either way. */
  excludeProfileIds?: readonly string[];
  /** Only members who opted in to style matching. */
  styleOptInOnly?: boolean;
}

/** One search result, best first. */
export interface VectorMatch {
  photoId: string;
  profileId: string;
  /** Cosine similarity in [-1, 1]. */
  similarity: number;
}

/** Upsert, delete and filtered top-k search over style vectors. */
export interface VectorStore {
  /** Which adapter this is (for health and logs). */
  readonly kind: "embedded" | "qdrant";
  /** Adds or replaces points by photo id. */
  upsert(points: readonly VectorPoint[]): Promise<void>;
  /** Removes the given photos' points (absent ids are ignored). */
  delete(photoIds: readonly string[]): Promise<void>;
  /** Removes every point of a profile (account or profile deletion). */
  deleteProfile(profileId: string): Promise<void>;
  /** Changes payload fields on every point of a profile (admission, style opt-in). */
  setPayload(profileId: string, patch: Partial<Omit<StylePayload, "profileId">>): Promise<void>;
  /** The `k` nearest points that pass the filter, best first. */
  search(query: VectorQuery): Promise<VectorMatch[]>;
  /** True when the backend answers. */
  healthy(): Promise<boolean>;
  /** Releases the backend's resources. */
  close(): Promise<void>;
}

/** Largest `k` one search may ask for (the WASM index's own limit on one search). */
export const MAX_SEARCH_WINDOW = 1000;

/** Checks a vector's shape (256 int8 values). */
export function checkVector(vector: Int8Array, what = "vector"): void {
  if (!(vector instanceof Int8Array) || vector.length !== STYLE_DIMENSIONS) {
    throw new BadRequestError(
      "invalid_vector",
      `${what}: must be ${STYLE_DIMENSIONS} int8 values`,
    );
  }
}

/** Checks a query's `k` (a whole number 1–{@link MAX_SEARCH_WINDOW}). */
export function checkK(k: number): void {
  if (!Number.isInteger(k) || k < 1 || k > MAX_SEARCH_WINDOW) {
    throw new BadRequestError("invalid_k", `k: must be a whole number 1–${MAX_SEARCH_WINDOW}`);
  }
}
