/** Validation of everything a caller hands to an object store: keys, prefixes, options, cursors. */
import { z } from "zod";
import { BadRequestError } from "@/core/errors.ts";
import type { ListOptions, PutOptions, SignedUrlOptions } from "./types.ts";

/** Longest accepted object key, in characters (all ASCII). */
export const MAX_KEY_LENGTH = 512;

/** Longest segment (the text between slashes): file names must fit with the store's suffixes. */
export const MAX_SEGMENT_LENGTH = 200;

/** Largest page a listing returns. */
export const MAX_LIST_LIMIT = 1000;

/** Longest lifetime of a signed URL (the S3 limit). */
export const MAX_SIGNED_URL_SECONDS = 7 * 24 * 3600;

const SEGMENT = /^[A-Za-z0-9._-]+$/;
const CONTENT_TYPE =
  /^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*(\s*;\s*[a-z0-9_.+-]+=[a-z0-9_.+-]+)*$/i;
const MAX_METADATA_BYTES = 2048;

function keyProblem(key: string, isPrefix: boolean): string | null {
  if (typeof key !== "string") return "must be a string";
  if (!isPrefix && key.length === 0) return "must not be empty";
  if (key.length > MAX_KEY_LENGTH) return `must be at most ${MAX_KEY_LENGTH} characters`;
  if (key.startsWith("/")) return "must not start with /";
  const segments = key.split("/");
  if (isPrefix && segments.at(-1) === "") segments.pop();
  for (const segment of segments) {
    if (segment === "") return "must not contain empty segments (// or a trailing /)";
    if (segment === "." || segment === "..") return "must not contain . or .. segments";
    if (segment.length > MAX_SEGMENT_LENGTH) {
      return `must not have segments longer than ${MAX_SEGMENT_LENGTH} characters`;
    }
    if (!SEGMENT.test(segment)) return "may only contain A-Z a-z 0-9 . _ - and / between segments";
  }
  return null;
}

/** Throws `BadRequestError("invalid_object_key")` unless `key` is a safe object key. */
export function assertValidKey(key: string): void {
  const problem = keyProblem(key, false);
  if (problem) {
    throw new BadRequestError("invalid_object_key", `Object key ${JSON.stringify(key)} ${problem}`);
  }
}

/** Throws `BadRequestError("invalid_object_prefix")` unless `prefix` is "" or a safe key prefix. */
export function assertValidPrefix(prefix: string): void {
  const problem = keyProblem(prefix, true);
  if (problem) {
    throw new BadRequestError(
      "invalid_object_prefix",
      `Object key prefix ${JSON.stringify(prefix)} ${problem}`,
    );
  }
}

const MetadataSchema = z.record(
  z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "metadata keys are [a-z0-9-], 1–64 characters"),
  z.string().regex(/^[\x20-\x7e]*$/, "metadata values are printable ASCII"),
).refine(
  (metadata) =>
    Object.entries(metadata).reduce((sum, [k, v]) => sum + k.length + v.length, 0) <=
      MAX_METADATA_BYTES,
  `metadata is at most ${MAX_METADATA_BYTES} bytes in total`,
);

const PutOptionsSchema = z.object({
  contentType: z.string().max(255).regex(CONTENT_TYPE, "contentType must be a MIME type"),
  contentLength: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  metadata: MetadataSchema.optional(),
  ifNoneMatch: z.literal("*").optional(),
});

const ListOptionsSchema = z.object({
  cursor: z.string().max(1024).optional(),
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
});

const SignedUrlOptionsSchema = z.object({
  expiresInSeconds: z.number().int().min(1).max(MAX_SIGNED_URL_SECONDS),
  method: z.enum(["GET", "PUT"]).optional(),
  contentType: z.string().max(255).regex(CONTENT_TYPE, "contentType must be a MIME type")
    .optional(),
});

function parseOrThrow<T>(schema: z.ZodType<T>, value: unknown, code: string, what: string): T {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) =>
    `${issue.path.join(".") || what}: ${issue.message}`
  );
  throw new BadRequestError(code, `Invalid ${what} — ${problems.join("; ")}`);
}

/** Validates `put` options; throws `BadRequestError("invalid_put_options")` naming the field. */
export function parsePutOptions(options: PutOptions): PutOptions {
  return parseOrThrow(PutOptionsSchema, options, "invalid_put_options", "put options");
}

/** Validates `list` options; throws `BadRequestError("invalid_list_options")`. */
export function parseListOptions(options: ListOptions | undefined): ListOptions {
  return parseOrThrow(ListOptionsSchema, options, "invalid_list_options", "list options");
}

/** Validates `signedUrl` options; throws `BadRequestError("invalid_signed_url_options")`. */
export function parseSignedUrlOptions(options: SignedUrlOptions): SignedUrlOptions {
  const parsed = parseOrThrow(
    SignedUrlOptionsSchema,
    options,
    "invalid_signed_url_options",
    "signed URL options",
  );
  if (parsed.contentType && parsed.method !== "PUT") {
    throw new BadRequestError(
      "invalid_signed_url_options",
      "Invalid signed URL options — contentType only applies to PUT URLs",
    );
  }
  return parsed;
}

/** Encodes the last key of a page as an opaque list cursor. */
export function encodeCursor(lastKey: string): string {
  return btoa(lastKey).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "");
}

/** Decodes a list cursor back to the key to start after; throws `BadRequestError("invalid_cursor")`. */
export function decodeCursor(cursor: string): string {
  let key: string;
  try {
    key = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    key = "";
  }
  if (key === "" || keyProblem(key, false)) {
    throw new BadRequestError("invalid_cursor", "Invalid list cursor");
  }
  return key;
}
