/** Builds the app's object store: the filesystem by default, S3/R2 when configured. */
import type { Clock } from "@/core/clock.ts";
import { parseStorageConfig, type StorageConfigInput } from "./config.ts";
import { createFsObjectStore, type FsObjectStore } from "./fs.ts";
import { createS3ObjectStore } from "./s3.ts";
import type { SignedUrlClaims } from "./signed_url.ts";
import type { ObjectStore } from "./types.ts";

export type * from "./types.ts";
export { RangeNotSatisfiableError } from "./types.ts";
export {
  parseStorageConfig,
  type StorageConfig,
  storageConfigFromEnv,
  type StorageConfigInput,
} from "./config.ts";
export { createFsObjectStore, type FsObjectStore, INTERRUPTED_WRITE_AGE_MS } from "./fs.ts";
export { createS3ObjectStore, type S3ObjectStore } from "./s3.ts";
export { isSignedObjectUrl, SIGNED_OBJECT_PATH, type SignedUrlClaims } from "./signed_url.ts";
export { assertValidKey, MAX_KEY_LENGTH } from "./validate.ts";

/** Creates the configured object store (validating `config`; a bad one throws a `RangeError`). */
export function createObjectStore(
  config: StorageConfigInput,
  options: { clock?: Clock } = {},
): ObjectStore {
  const valid = parseStorageConfig(config);
  if (valid.kind === "s3") {
    const { kind: _kind, ...settings } = valid;
    return createS3ObjectStore(settings, options);
  }
  const { kind: _kind, ...settings } = valid;
  return createFsObjectStore(settings, options);
}

/**
 * The verifier for `/api/storage/…` signed URLs when `store` signs app URLs (the filesystem store),
 * or null when its signed URLs point at the backend itself (S3/R2) and the app never sees them.
 */
export function signedUrlVerifier(
  store: ObjectStore,
): ((url: string | URL, now: number, method?: string) => Promise<SignedUrlClaims>) | null {
  return store.kind === "fs" ? (store as FsObjectStore).verifySignedUrl : null;
}

/**
 * Removes the leftovers of writes interrupted by a crash or a kill (the filesystem store's `~tmp-`
 * and unreferenced `~v-` files older than `olderThanMs`); S3/R2 uploads leave none. Returns the count.
 */
export async function sweepInterruptedWrites(
  store: ObjectStore,
  olderThanMs?: number,
): Promise<number> {
  return store.kind === "fs" ? await (store as FsObjectStore).sweepInterrupted(olderThanMs) : 0;
}
