/**
 * The main photo rule: the photo on a member's card (position 0) must show one prominent face, so
 * a veiled card always stands for one person. Judged from the face detector's boxes: the largest
 * face must cover at least {@link MIN_MAIN_FACE_SHARE} of the image, and no other face may reach
 * {@link GROUP_FACE_RATIO} of its area (a small face far in the background does not make a group).
 * Group photos are welcome further down the gallery.
 */
import { UnprocessableError } from "@/core/errors.ts";
import type { PhotoRecord, Profile } from "./schema.ts";

/** Smallest share of the image the largest face must cover (1 %: a face about a tenth as wide). */
export const MIN_MAIN_FACE_SHARE = 0.01;
/** A second face at least this fraction of the largest face's area makes the photo a group photo. */
export const GROUP_FACE_RATIO = 0.4;

/** A detected face's box (source-image pixels). */
export interface FaceArea {
  width: number;
  height: number;
}

/** Why a photo cannot be the main photo, or null when it can. */
export type MainPhotoProblem = "no_prominent_face" | "group" | null;

/** Judges a photo of `width` × `height` with `faces` against the main photo rule. */
export function mainPhotoProblem(
  faces: readonly FaceArea[],
  width: number,
  height: number,
): MainPhotoProblem {
  const areas = faces.map((face) => Math.max(0, face.width) * Math.max(0, face.height))
    .sort((a, b) => b - a);
  const [largest = 0, second = 0] = areas;
  if (second > 0 && second >= GROUP_FACE_RATIO * largest) return "group";
  if (largest < MIN_MAIN_FACE_SHARE * width * height) return "no_prominent_face";
  return null;
}

/** The error refusing a photo as the main photo (UnprocessableError `photo_main_not_solo`). */
export function mainPhotoRefusal(problem: Exclude<MainPhotoProblem, null>): UnprocessableError {
  return new UnprocessableError(
    "photo_main_not_solo",
    problem === "group"
      ? "Your main photo should show just you — add group photos further down."
      : "Your main photo should show your face clearly — try a closer photo of just you.",
  );
}

/** True when the profile's first photo may stand for the member (one prominent face). */
export function hasMainPhoto(profile: Pick<Profile, "photos">): boolean {
  return profile.photos[0]?.soloFace === true;
}

/**
 * `photos` with the main slot kept valid after a removal: when the first photo is a group photo
 * and a solo one exists further down, that one moves to the front (the rest keep their order).
 */
export function withSoloFirst(photos: PhotoRecord[]): PhotoRecord[] {
  if (photos.length === 0 || photos[0].soloFace) return photos;
  const solo = photos.findIndex((photo) => photo.soloFace);
  if (solo < 0) return photos;
  return [photos[solo], ...photos.filter((_, i) => i !== solo)];
}
