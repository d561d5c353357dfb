/**
 * Serving a photo to a member: the authorization (`photoForViewer`) and the object read in one
 * call. The owner and mutual matches get the rendition they ask for; everyone else the blurred
 * thumbnail. Blocked either way, a hidden profile (unless matched) or a missing photo all answer
 * `photo_not_found`, so a viewer cannot tell them apart.
 */
import { NotFoundError } from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";
import type { ByteRange, GetResult, ObjectStore } from "@/core/storage/types.ts";
import { photoForViewer, type PhotoGrant } from "./photos.ts";
import { getProfile, type ProfileDeps } from "./profiles.ts";
import type { RelationCheck } from "./views.ts";

/** Dependencies of {@link openPhotoForViewer}. */
export interface PhotoAccessDeps extends ProfileDeps {
  objects: ObjectStore;
  isMatched: RelationCheck;
  isBlocked: RelationCheck;
}

/** Which photo, for whom, at which size, and optionally which bytes of it. */
export interface OpenPhotoInput {
  profileId: string;
  photoId: string;
  /** The viewer's wallet. */
  viewer: string;
  size?: "full" | "card";
  range?: ByteRange;
}

/**
 * Opens the rendition of a photo that `viewer` may receive. NotFoundError(`photo_not_found`);
 * a range past the end is a RangeNotSatisfiableError. The caller must consume or cancel the body.
 */
export async function openPhotoForViewer(
  deps: PhotoAccessDeps,
  input: OpenPhotoInput,
): Promise<{ grant: PhotoGrant; object: GetResult }> {
  const viewer = normalizeWallet(input.viewer);
  const missing = () => new NotFoundError("photo_not_found", "No such photo.");
  const profile = await getProfile(deps, input.profileId);
  if (!profile) throw missing();
  let matched = false;
  if (profile.wallet !== viewer) {
    if (await deps.isBlocked(viewer, profile.wallet)) throw missing();
    matched = await deps.isMatched(viewer, profile.wallet);
    if (profile.hidden && !matched) throw missing();
  }
  const grant = photoForViewer(profile, input.photoId, viewer, matched, input.size);
  const object = await deps.objects.get(grant.key, input.range ? { range: input.range } : {});
  // A photo whose objects are already being cleaned up.
  if (!object) throw missing();
  return { grant, object };
}
