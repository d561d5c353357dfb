/**
 * What an accepted upload keeps of its photo's analysis: the deterministic features and flags the
 * score is computed from, the face count, and the style embedding the vector store indexes. Written
 * in the commit that records the photo, deleted with it. No face-identity descriptor is kept.
 *   ["photo_analysis", photoId] → PhotoAnalysis
 */
import { z } from "zod";

/** The stored analysis of one photo. */
export const photoAnalysisSchema = z.object({
  photoId: z.string(),
  profileId: z.string(),
  features: z.record(z.string(), z.number()),
  flags: z.array(z.string()),
  faceCount: z.number().int().min(0),
  /** int8 values of the L2-normalised 256-d style embedding, and the scale they were quantised by. */
  embedding: z.object({ scale: z.number(), values: z.array(z.number().int().min(-128).max(127)) }),
  analyzedAt: z.number().int(),
});
/** The stored analysis of one photo. */
export type PhotoAnalysis = z.infer<typeof photoAnalysisSchema>;

/** KV key of a photo's analysis. */
export const photoAnalysisKey = (photoId: string): Deno.KvKey => ["photo_analysis", photoId];

/** Adds the analysis to `op` (the commit that records the photo). */
export function setPhotoAnalysis(op: Deno.AtomicOperation, analysis: PhotoAnalysis): void {
  op.set(photoAnalysisKey(analysis.photoId), photoAnalysisSchema.parse(analysis));
}

/** The photo's stored analysis, or null (photos accepted before analyses were kept). */
export async function readPhotoAnalysis(
  kv: Deno.Kv,
  photoId: string,
): Promise<PhotoAnalysis | null> {
  const entry = await kv.get(photoAnalysisKey(photoId));
  return entry.versionstamp === null ? null : photoAnalysisSchema.parse(entry.value);
}

/** The embedding as the vector store takes it. */
export function embeddingVector(analysis: Pick<PhotoAnalysis, "embedding">): Int8Array {
  return Int8Array.from(analysis.embedding.values);
}
