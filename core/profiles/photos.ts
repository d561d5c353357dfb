/**
 * The private photo pipeline. An upload is checked (type, size), analysed (readable, large enough,
 * a face), re-encoded by the ML core into metadata-free upright renditions plus a blurred thumbnail,
 * written to the object store under a fresh photo id, and only then committed to the profile record.
 *
 * No orphans, nothing half-visible: the KV commit is the single point where a photo becomes
 * visible, and it happens after every object exists. Any failure before it deletes what was
 * written; a crash between the two leaves unreferenced objects that {@link sweepOrphanPhotos}
 * removes once they are older than the grace period (longer than an upload may take to commit).
 * Deletions go the other way: the record first (the photo vanishes), then the objects.
 */
import type { Analysis, Rendition } from "@/ml-wasm/mod.ts";
import {
  BadRequestError,
  ConflictError,
  DomainError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { readImageHeader } from "./photo_header.ts";
import { renditionKey, renditionKeys, type RenditionName } from "./photo_keys.ts";
import type { AcceptedPhoto, PhotoRecordHooks } from "./photo_records.ts";
import { hasMainPhoto, mainPhotoProblem, mainPhotoRefusal, withSoloFirst } from "./main_photo.ts";
import { changeOwnProfile, type ProfileDeps, readProfile } from "./profiles.ts";
import { MAX_PHOTOS, type PhotoRecord, type Profile } from "./schema.ts";
import { ulid } from "@/core/ulid.ts";

export { sweepOrphanPhotos } from "./photo_sweep.ts";

/** The two calls of the ML core the pipeline uses (`ml-wasm/mod.ts` satisfies it). */
export interface PhotoMl {
  analyzePhoto(bytes: Uint8Array): Promise<Analysis>;
  preparePhoto(
    bytes: Uint8Array,
    sizes: number[],
    options?: { quality?: number; blur?: boolean },
  ): Promise<Rendition[]>;
}

/** Dependencies of the photo functions. */
export interface PhotoDeps extends ProfileDeps {
  objects: ObjectStore;
  ml: PhotoMl;
  /** The records other domains keep beside each photo (analysis, scores, style vector). */
  photoRecords?: PhotoRecordHooks;
}

/** Media types the ML core decodes. */
export const ACCEPTED_PHOTO_TYPES = { "image/jpeg": "jpeg", "image/png": "png" } as const;
/** Largest accepted upload. */
export const MAX_PHOTO_BYTES = 10 * 1024 * 1024;
/** Shortest accepted side, in pixels (after orientation). */
export const MIN_PHOTO_SIDE = 320;
/**
 * Most pixels (width × height, read from the header before any decoding) of an accepted JPEG.
 * JPEGs are decoded for analysis at a reduced IDCT scale, so this can be generous.
 */
export const MAX_JPEG_PIXELS = 40_000_000;
/** Most pixels of an accepted PNG: PNGs are always decoded at full size. */
export const MAX_PNG_PIXELS = 16_000_000;
/** Longer side of the full rendition. */
export const FULL_SIDE = 1600;
/** Longer side of the card rendition. */
export const CARD_SIDE = 640;
/** An upload that has not committed this long after its first object is abandoned. */
export const PHOTO_COMMIT_DEADLINE_MS = 10 * 60 * 1000;

/** Input of {@link addPhoto}. */
export interface AddPhotoInput {
  profileId: string;
  /** The uploader's wallet; must own the profile. */
  wallet: string;
  bytes: Uint8Array;
  /** The declared media type (`Content-Type`). */
  contentType: string;
}

function checkUpload(input: AddPhotoInput): "jpeg" | "png" {
  const type = input.contentType.split(";")[0].trim().toLowerCase();
  const format = ACCEPTED_PHOTO_TYPES[type as keyof typeof ACCEPTED_PHOTO_TYPES];
  if (!format) {
    throw new UnsupportedMediaTypeError(
      "photo_type_unsupported",
      `Photos must be JPEG or PNG, not ${type || "untyped"}.`,
    );
  }
  if (input.bytes.length > MAX_PHOTO_BYTES) {
    throw new PayloadTooLargeError(
      "photo_too_large",
      `Photos must be at most ${MAX_PHOTO_BYTES / 1024 / 1024} MiB.`,
    );
  }
  if (input.bytes.length === 0) throw unreadable("the upload is empty");
  return format;
}

/** Judges the header alone (format, pixel count), before the ML core decodes anything. */
function checkHeader(bytes: Uint8Array, declared: "jpeg" | "png"): void {
  const header = readImageHeader(bytes);
  if (!header) throw unreadable("no JPEG or PNG image header");
  if (header.format !== declared) {
    throw new UnsupportedMediaTypeError(
      "photo_type_mismatch",
      `The upload was declared ${declared} but is ${header.format}.`,
    );
  }
  const cap = header.format === "png" ? MAX_PNG_PIXELS : MAX_JPEG_PIXELS;
  if (header.width * header.height > cap) {
    throw new UnprocessableError(
      "photo_too_many_pixels",
      `${header.format === "png" ? "PNG photos" : "Photos"} must be at most ${
        cap / 1_000_000
      } megapixels; this one is ${header.width} × ${header.height}.`,
    );
  }
}

const unreadable = (why: string) =>
  new UnprocessableError("photo_unreadable", `This is not a readable photo (${why}).`);

/** Maps an ML core failure to a typed domain error. */
function mlFailure(error: unknown): DomainError {
  if (error instanceof DomainError) return error;
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === "too_large") {
    return new PayloadTooLargeError("photo_too_large", "The photo has too many pixels.");
  }
  if (code === "busy") {
    return new ServiceUnavailableError(
      "photo_processing_busy",
      "Photo processing is busy right now. Try again in a moment.",
    );
  }
  if (
    code === "decode_failed" || code === "unsupported_format" || code === "bad_dimensions" ||
    code === "empty_input"
  ) return unreadable(message);
  return new ServiceUnavailableError("photo_processing_unavailable", `Photo processing failed.`);
}

async function analyse(ml: PhotoMl, bytes: Uint8Array, declared: "jpeg" | "png") {
  let analysis: Analysis;
  try {
    analysis = await ml.analyzePhoto(bytes);
  } catch (error) {
    throw mlFailure(error);
  }
  if (analysis.format !== declared) {
    throw new UnsupportedMediaTypeError(
      "photo_type_mismatch",
      `The upload was declared ${declared} but is ${analysis.format}.`,
    );
  }
  if (Math.min(analysis.width, analysis.height) < MIN_PHOTO_SIDE) {
    throw new UnprocessableError(
      "photo_too_small",
      `Photos must be at least ${MIN_PHOTO_SIDE} px on the shorter side.`,
    );
  }
  if (analysis.flags.includes("face_detector_unavailable")) {
    throw new ServiceUnavailableError("photo_processing_unavailable", "Face detection is down.");
  }
  if (analysis.faces.length === 0) {
    throw new UnprocessableError("photo_no_face", "No face was found in this photo.");
  }
  return analysis;
}

/**
 * Renders the full rendition and the card + blurred thumbnail as two calls, so a worker pool runs
 * them side by side.
 */
async function render(ml: PhotoMl, bytes: Uint8Array): Promise<Record<RenditionName, Rendition>> {
  let renditions: Rendition[];
  try {
    const [large, small] = await Promise.all([
      ml.preparePhoto(bytes, [FULL_SIDE], { blur: false }),
      ml.preparePhoto(bytes, [CARD_SIDE], { blur: true }),
    ]);
    renditions = [...large, ...small];
  } catch (error) {
    throw mlFailure(error);
  }
  const [full, card] = renditions.filter((r) => !r.blurred);
  const thumb = renditions.find((r) => r.blurred);
  if (!full || !card || !thumb) {
    throw new ServiceUnavailableError("photo_processing_unavailable", "Renditions are missing.");
  }
  return { full, card, thumb };
}

/** Puts every rendition create-only; on any failure removes them all and rethrows. */
async function storeRenditions(
  objects: ObjectStore,
  profileId: string,
  photoId: string,
  renditions: Record<RenditionName, Rendition>,
): Promise<void> {
  try {
    for (const name of ["thumb", "card", "full"] as const) {
      await objects.put(renditionKey(profileId, photoId, name), renditions[name].jpeg, {
        contentType: "image/jpeg",
        ifNoneMatch: "*",
        metadata: { "profile-id": profileId, "photo-id": photoId, rendition: name },
      });
    }
  } catch (error) {
    await discardObjects(objects, renditionKeys(profileId, photoId));
    throw error;
  }
}

/** Best-effort removal; what fails here is left to the sweep. */
async function discardObjects(objects: ObjectStore, keys: string[]): Promise<boolean> {
  try {
    await objects.deleteMany(keys);
    return true;
  } catch {
    return false;
  }
}

const limitReached = () =>
  new ConflictError("photo_limit", `A profile holds at most ${MAX_PHOTOS} photos.`);

/**
 * Adds a photo to the caller's own profile. Errors: UnsupportedMediaTypeError
 * (`photo_type_unsupported`, `photo_type_mismatch`), PayloadTooLargeError (`photo_too_large`),
 * UnprocessableError (`photo_unreadable`, `photo_too_many_pixels`, `photo_too_small`,
 * `photo_no_face`, `photo_main_not_solo`: the first photo must show one prominent face),
 * ConflictError (`photo_limit`), ForbiddenError (`profile_not_owner`),
 * NotFoundError (`profile_not_found`), ServiceUnavailableError (`storage_unavailable`,
 * `photo_processing_unavailable`, `photo_processing_busy`). The header is judged (format, pixel
 * cap) before the ML core sees the bytes.
 */
export async function addPhoto(
  deps: PhotoDeps,
  input: AddPhotoInput,
): Promise<{ profile: Profile; photo: PhotoRecord }> {
  const format = checkUpload(input);
  const wallet = normalizeWallet(input.wallet);
  const { profileId } = input;
  const { profile: before } = await readProfile(deps.kv, profileId);
  if (!before) throw new NotFoundError("profile_not_found", "No such profile.");
  if (before.wallet !== wallet) {
    throw new ForbiddenError("profile_not_owner", "You can only change your own profile.");
  }
  if (before.photos.length >= MAX_PHOTOS) throw limitReached();

  checkHeader(input.bytes, format);
  // A JPEG is decoded at a reduced scale, so rendering it alongside the analysis costs little even
  // when the analysis refuses it; a PNG is decoded at full size, so it is rendered only once
  // accepted.
  const analysing = analyse(deps.ml, input.bytes, format);
  const early = format === "jpeg" ? render(deps.ml, input.bytes) : null;
  early?.catch(() => {}); // awaited below either way
  let analysis: Analysis;
  try {
    analysis = await analysing;
  } catch (error) {
    await early?.catch(() => {});
    throw error;
  }
  const problem = mainPhotoProblem(analysis.faces, analysis.width, analysis.height);
  if (problem && before.photos.length === 0) {
    await early?.catch(() => {});
    throw mainPhotoRefusal(problem);
  }
  const renditions = await (early ?? render(deps.ml, input.bytes));
  const startedAt = deps.clock.now();
  const photo: PhotoRecord = {
    id: ulid(deps.clock),
    createdAt: startedAt,
    width: analysis.width,
    height: analysis.height,
    renditions: {
      full: { width: renditions.full.width, height: renditions.full.height },
      card: { width: renditions.card.width, height: renditions.card.height },
      thumb: { width: renditions.thumb.width, height: renditions.thumb.height },
    },
    soloFace: problem === null,
  };
  await storeRenditions(deps.objects, profileId, photo.id, renditions);
  const accepted: AcceptedPhoto = { profileId, photoId: photo.id, analysis, analyzedAt: startedAt };
  let profile: Profile;
  try {
    profile = await changeOwnProfile(
      deps,
      profileId,
      wallet,
      (current, now) => {
        if (now - startedAt > PHOTO_COMMIT_DEADLINE_MS) {
          throw new ServiceUnavailableError("photo_upload_expired", "The upload took too long.");
        }
        if (current.photos.length >= MAX_PHOTOS) throw limitReached();
        // Checked again here: a photo deleted meanwhile may have left this one to lead.
        if (problem && current.photos.length === 0) throw mainPhotoRefusal(problem);
        // A solo photo leads when the gallery has none in front (only group photos are left).
        const photos = problem === null && !hasMainPhoto(current)
          ? [photo, ...current.photos]
          : [...current.photos, photo];
        return { ...current, photos };
      },
      (op) => deps.photoRecords?.onAccept(op, accepted),
    );
  } catch (error) {
    await discardObjects(deps.objects, renditionKeys(profileId, photo.id));
    throw error;
  }
  await deps.photoRecords?.afterAccept(accepted);
  return { profile, photo };
}

/**
 * Removes a photo from the caller's own profile (and, in the same commit, the records kept beside
 * it), then every rendition of it. When the main photo goes and a group photo would lead, the first
 * solo photo moves to the front. NotFoundError
 * (`photo_not_found`); `pendingCleanup` when the store failed (the sweep finishes the job).
 */
export async function deletePhoto(
  deps: PhotoDeps | (ProfileDeps & { objects: ObjectStore; photoRecords?: PhotoRecordHooks }),
  { profileId, wallet, photoId }: { profileId: string; wallet: string; photoId: string },
): Promise<{ profile: Profile; pendingCleanup: boolean }> {
  const profile = await changeOwnProfile(
    deps,
    profileId,
    wallet,
    (current) => {
      if (!current.photos.some((photo) => photo.id === photoId)) {
        throw new NotFoundError("photo_not_found", "No such photo on this profile.");
      }
      const left = current.photos.filter((photo) => photo.id !== photoId);
      return { ...current, photos: withSoloFirst(left) };
    },
    deps.photoRecords?.onRemove,
  );
  await deps.photoRecords?.afterRemove({ profileId, photoIds: [photoId], wholeProfile: false });
  const removed = await discardObjects(deps.objects, renditionKeys(profileId, photoId));
  return { profile, pendingCleanup: !removed };
}

/**
 * Puts the caller's photos in `order` (every current photo id exactly once), else
 * BadRequestError(`invalid_photo_order`); UnprocessableError(`photo_main_not_solo`) when a photo
 * without one prominent face would become the main photo.
 */
export async function reorderPhotos(
  deps: ProfileDeps,
  { profileId, wallet, order }: { profileId: string; wallet: string; order: readonly string[] },
): Promise<Profile> {
  return await changeOwnProfile(deps, profileId, wallet, (current) => {
    const byId = new Map(current.photos.map((photo) => [photo.id, photo]));
    const distinct = new Set(order);
    if (
      !Array.isArray(order) || distinct.size !== order.length || order.length !== byId.size ||
      !order.every((id) => byId.has(id))
    ) {
      throw new BadRequestError(
        "invalid_photo_order",
        "order: must list every photo of the profile exactly once",
      );
    }
    const photos = order.map((id) => byId.get(id)!);
    if (photos.length > 0 && photos[0].id !== current.photos[0].id && !photos[0].soloFace) {
      throw mainPhotoRefusal("group");
    }
    return { ...current, photos };
  });
}

/** Which stored object a viewer may receive for one photo. */
export interface PhotoGrant {
  key: string;
  rendition: RenditionName;
  blurred: boolean;
  contentType: "image/jpeg";
}

/**
 * Chooses the rendition `viewer` may receive: the owner and matched members get `size` (full or
 * card); everyone else only the blurred thumbnail. NotFoundError(`photo_not_found`).
 */
export function photoForViewer(
  profile: Profile,
  photoId: string,
  viewer: string,
  matched: boolean,
  size: "full" | "card" = "full",
): PhotoGrant {
  if (!profile.photos.some((photo) => photo.id === photoId)) {
    throw new NotFoundError("photo_not_found", "No such photo on this profile.");
  }
  const entitled = normalizeWallet(viewer) === profile.wallet || matched;
  const rendition: RenditionName = entitled ? size : "thumb";
  return {
    key: renditionKey(profile.id, photoId, rendition),
    rendition,
    blurred: !entitled,
    contentType: "image/jpeg",
  };
}
