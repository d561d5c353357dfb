/**
 * The orphan sweep: deletes photo objects that no profile references (an upload that crashed
 * between its object writes and its KV commit, or a deletion whose object removal failed). Objects
 * younger than the grace period are left alone: they may belong to an upload still in flight,
 * which itself gives up before its commit deadline (`PHOTO_COMMIT_DEADLINE_MS`, 10 min).
 */
import type { Clock } from "@/core/clock.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { readProfile } from "./profiles.ts";

/** Default age an unreferenced object must reach before the sweep deletes it. */
export const ORPHAN_GRACE_MS = 60 * 60 * 1000;

const PHOTO_OBJECT = /^profiles\/([^/]+)\/photos\/([^/]+)\//;

/** Deletes unreferenced photo objects older than `graceMs`; returns the deleted keys. */
export async function sweepOrphanPhotos(
  deps: { kv: Deno.Kv; objects: ObjectStore; clock: Clock },
  options: { graceMs?: number } = {},
): Promise<{ deleted: string[] }> {
  const graceMs = options.graceMs ?? ORPHAN_GRACE_MS;
  const cutoff = deps.clock.now() - graceMs;
  const referenced = new Map<string, Set<string> | null>();
  const deleted: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await deps.objects.list("profiles/", { limit: 1000, cursor });
    const doomed: string[] = [];
    for (const info of page.values) {
      const match = PHOTO_OBJECT.exec(info.key);
      if (!match || info.lastModified > cutoff) continue;
      const [, profileId, photoId] = match;
      if (!referenced.has(profileId)) {
        const { profile } = await readProfile(deps.kv, profileId);
        referenced.set(profileId, profile ? new Set(profile.photos.map((p) => p.id)) : null);
      }
      if (!referenced.get(profileId)?.has(photoId)) doomed.push(info.key);
    }
    if (doomed.length) {
      await deps.objects.deleteMany(doomed);
      deleted.push(...doomed);
    }
    cursor = page.cursor || undefined;
  } while (cursor);
  return { deleted };
}
