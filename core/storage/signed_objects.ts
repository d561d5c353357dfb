/**
 * What `/api/storage/…` does with a signed app URL of the filesystem store: verify it (the
 * signature is the only authorization), then read or write the one object it names. Stores whose
 * signed URLs point at the backend itself (S3/R2) have no such URLs: `not_found`.
 */
import type { Clock } from "@/core/clock.ts";
import { ForbiddenError, NotFoundError } from "@/core/errors.ts";
import { signedUrlVerifier } from "./mod.ts";
import type { ByteRange, GetResult, ObjectInfo, ObjectStore } from "./types.ts";

/** Dependencies of the signed-object functions. */
export interface SignedObjectDeps {
  objects: ObjectStore;
  clock: Clock;
}

function verifier(objects: ObjectStore) {
  const verify = signedUrlVerifier(objects);
  if (!verify) throw new NotFoundError("not_found", "This store does not serve signed app URLs.");
  return verify;
}

/**
 * Opens the object a signed GET URL grants. ForbiddenError(`signed_url_invalid`,
 * `signed_url_expired`), NotFoundError(`object_not_found`).
 */
export async function openSignedObject(
  deps: SignedObjectDeps,
  url: URL,
  range?: ByteRange,
): Promise<GetResult> {
  const claims = await verifier(deps.objects)(url, deps.clock.now(), "GET");
  const object = await deps.objects.get(claims.key, range ? { range } : {});
  if (!object) throw new NotFoundError("object_not_found", "No such object.");
  return object;
}

/**
 * Stores an upload to a signed PUT URL; the upload must carry the content type the URL was signed
 * for. ForbiddenError(`signed_url_invalid`, `signed_url_expired`, `signed_url_content_type`).
 */
export async function storeSignedObject(
  deps: SignedObjectDeps,
  url: URL,
  upload: { bytes: Uint8Array; contentType: string },
): Promise<ObjectInfo> {
  const claims = await verifier(deps.objects)(url, deps.clock.now(), "PUT");
  const contentType = upload.contentType.split(";")[0].trim().toLowerCase();
  if (claims.contentType && claims.contentType.toLowerCase() !== contentType) {
    throw new ForbiddenError(
      "signed_url_content_type",
      `This URL accepts ${claims.contentType} only.`,
    );
  }
  return await deps.objects.put(claims.key, upload.bytes, {
    contentType: claims.contentType ?? (contentType || "application/octet-stream"),
  });
}
