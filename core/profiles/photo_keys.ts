/** Object-store layout of profile photos: `profiles/<profileId>/photos/<photoId>/<rendition>.jpg`. */

/** The stored renditions of a photo: full view, card, and the blurred thumbnail. */
export const RENDITIONS = ["full", "card", "thumb"] as const;
/** One stored rendition. */
export type RenditionName = (typeof RENDITIONS)[number];

/** Prefix of every photo object of a profile. */
export function profilePhotosPrefix(profileId: string): string {
  return `profiles/${profileId}/photos/`;
}

/** Prefix of every rendition of one photo. */
export function photoPrefix(profileId: string, photoId: string): string {
  return `${profilePhotosPrefix(profileId)}${photoId}/`;
}

/** Object key of one rendition of a photo. */
export function renditionKey(profileId: string, photoId: string, rendition: RenditionName): string {
  return `${photoPrefix(profileId, photoId)}${rendition}.jpg`;
}

/** Object keys of every rendition of a photo. */
export function renditionKeys(profileId: string, photoId: string): string[] {
  return RENDITIONS.map((rendition) => renditionKey(profileId, photoId, rendition));
}

/** Splits a photo object key into its ids, or null when it is not one. */
export function parsePhotoKey(
  key: string,
): { profileId: string; photoId: string; rendition: string } | null {
  const match = /^profiles\/([^/]+)\/photos\/([^/]+)\/([^/]+)\.jpg$/.exec(key);
  return match ? { profileId: match[1], photoId: match[2], rendition: match[3] } : null;
}
