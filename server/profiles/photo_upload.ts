/**
 * Reads a photo upload: `multipart/form-data` with the file in the field `photo`, or the raw
 * bytes with their own `Content-Type`. Type, size and content are judged by `addPhoto`.
 */
import { BadRequestError, DomainError } from "@/core/errors.ts";

/** The uploaded bytes and their declared media type. */
export interface PhotoUpload {
  bytes: Uint8Array;
  contentType: string;
}

/** The typed error behind a failed body read (e.g. the body limit's 413), else a 400. */
function bodyFailure(error: unknown, message: string): DomainError {
  if (error instanceof DomainError) return error;
  const cause = (error as { cause?: unknown })?.cause;
  if (cause instanceof DomainError) return cause;
  return new BadRequestError("invalid_upload", message);
}

/** Reads the upload from `req` (BadRequestError `photo_missing`, `invalid_upload`). */
export async function readPhotoUpload(req: Request): Promise<PhotoUpload> {
  const type = req.headers.get("content-type") ?? "";
  if (/^multipart\/form-data\b/i.test(type)) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch (error) {
      throw bodyFailure(error, "The upload is not valid multipart/form-data.");
    }
    const file = form.get("photo");
    if (!(file instanceof File)) {
      throw new BadRequestError(
        "photo_missing",
        'photo: attach the photo in the form field "photo"',
      );
    }
    return { bytes: new Uint8Array(await file.arrayBuffer()), contentType: file.type };
  }
  try {
    return { bytes: new Uint8Array(await req.arrayBuffer()), contentType: type };
  } catch (error) {
    throw bodyFailure(error, "The upload could not be read.");
  }
}
