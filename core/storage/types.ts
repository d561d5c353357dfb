/**
 * The one object-store interface (photos, ticket metadata): a filesystem store by default, S3/R2 in
 * production. Both adapters pass `tests/storage/object_store_contract.ts`.
 *
 * Failures are typed domain errors from `core/errors.ts`:
 * - an invalid key, content type, metadata or cursor → `BadRequestError`; so is a stream body that is
 *   not exactly `contentLength` bytes or fails while read (nothing is stored then);
 * - a range past the end of the object → {@link RangeNotSatisfiableError} (a `BadRequestError`; HTTP 416);
 * - `ifNoneMatch: "*"` on an existing key → `ConflictError("object_exists")`;
 * - a bad or expired signed URL → `ForbiddenError`;
 * - the backend unreachable, timing out or failing → `ServiceUnavailableError("storage_unavailable")`.
 * A missing object is not an error: `get` and `head` return null and `delete` does nothing.
 */
import { BadRequestError } from "@/core/errors.ts";

/** Bytes accepted by {@link ObjectStore.put}. A stream needs `contentLength`. */
export type ObjectBody = Uint8Array | ReadableStream<Uint8Array>;

/** What a listing knows about an object. */
export interface ObjectInfo {
  key: string;
  /** Size in bytes. */
  size: number;
  /** Opaque entity tag without quotes; the same bytes give the same tag (MD5 hex for single puts). */
  etag: string;
  /** Last write time, epoch milliseconds. */
  lastModified: number;
}

/** Everything known about one object (what `head` returns). */
export interface ObjectDetails extends ObjectInfo {
  contentType: string;
  /** User metadata given to `put` (lower-case keys). */
  metadata: Record<string, string>;
}

/** Options of {@link ObjectStore.put}. */
export interface PutOptions {
  /** MIME type stored with the object, e.g. `image/jpeg`. */
  contentType: string;
  /** Exact body size in bytes; required for a stream body, checked against the bytes sent. */
  contentLength?: number;
  /** Small user metadata (keys `[a-z0-9-]`, printable ASCII values, ≤ 2 KiB in total). */
  metadata?: Record<string, string>;
  /** `"*"`: create only; fail with `ConflictError("object_exists")` when the key exists. */
  ifNoneMatch?: "*";
}

/** An inclusive byte range; `end` defaults to (and is clamped to) the last byte. */
export interface ByteRange {
  start: number;
  end?: number;
}

/** Options of {@link ObjectStore.get}. */
export interface GetOptions {
  range?: ByteRange;
}

/** An object being read. The caller must consume or cancel `body`. */
export interface GetResult extends ObjectDetails {
  body: ReadableStream<Uint8Array>;
  /** The inclusive range `body` holds, when a range was asked for. */
  range?: { start: number; end: number };
}

/** Options of {@link ObjectStore.list}. */
export interface ListOptions {
  /** The `cursor` of the previous page. */
  cursor?: string;
  /** Page size, 1–1000 (default 100). */
  limit?: number;
}

/** One page of a listing, in ascending key order; `cursor` is "" after the last page. */
export interface ListResult {
  values: ObjectInfo[];
  cursor: string;
}

/** Options of {@link ObjectStore.signedUrl}. */
export interface SignedUrlOptions {
  /** Lifetime of the URL, 1 s – 7 days. */
  expiresInSeconds: number;
  /** Default GET. */
  method?: "GET" | "PUT";
  /** For PUT: the content type the uploader must send. */
  contentType?: string;
}

/** Object storage: binary objects under validated keys. */
export interface ObjectStore {
  /** Which backend this is. */
  readonly kind: "fs" | "s3";
  /** Stores `body` under `key`, replacing any object there (unless `ifNoneMatch`). */
  put(key: string, body: ObjectBody, options: PutOptions): Promise<ObjectInfo>;
  /** Reads an object, or a byte range of it; null when absent. */
  get(key: string, options?: GetOptions): Promise<GetResult | null>;
  /** Describes an object without reading it; null when absent. */
  head(key: string): Promise<ObjectDetails | null>;
  /** Removes an object; removing an absent key succeeds. */
  delete(key: string): Promise<void>;
  /** Removes many objects (absent keys are fine); all keys are validated before any is removed. */
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Lists objects whose key starts with `prefix` ("" for all), a page at a time. */
  list(prefix: string, options?: ListOptions): Promise<ListResult>;
  /** A short-lived URL that lets its holder GET (or PUT) one object without other credentials. */
  signedUrl(key: string, options: SignedUrlOptions): Promise<string>;
  /** Resolves when the backend is reachable and usable; throws `ServiceUnavailableError` otherwise. */
  ping(): Promise<void>;
  /** Releases connections; the store is unusable afterwards. */
  close(): Promise<void>;
}

/** A requested range starts at or past the end of the object (HTTP 416). */
export class RangeNotSatisfiableError extends BadRequestError {
  /** Size of the object the range was asked of. */
  readonly size: number;

  constructor(message: string, size: number) {
    super("range_not_satisfiable", message);
    this.size = size;
  }
}
