/**
 * Members' own objects in the object store, under `members/<prefix>/…` where `<prefix>` is opaque
 * and per member (16 hex of an HMAC of the wallet under a key derived from the app secret), so a
 * key reveals nobody's wallet and nobody can name their way into another member's objects. A key
 * outside the caller's own namespace is answered as absent (`object_not_found`).
 */
import { deriveSecret } from "@/core/config.ts";
import {
  BadRequestError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";
import type { ByteRange, GetResult, ObjectInfo, ObjectStore } from "./types.ts";
import { assertValidKey } from "./validate.ts";

/** Largest object a member may store. */
export const MAX_MEMBER_OBJECT_BYTES = 10 * 1024 * 1024;

/** Media types a member may store. */
export const MEMBER_OBJECT_TYPES = [
  "image/jpeg",
  "image/png",
  "image/webp",
  "application/json",
  "application/pdf",
  "text/plain",
] as const;

/** What the member-object functions need. */
export interface MemberObjectDeps {
  objects: ObjectStore;
  /** The app's root secret (the namespace key is derived from it). */
  appSecret: string;
}

/** Who is asking, and for which key (relative to their namespace, or a full `members/…` key). */
export interface MemberObjectRef {
  wallet: string;
  key: string;
}

/** The caller's namespace: `members/<16 hex>/`. */
export function memberObjectPrefix(appSecret: string, wallet: string): string {
  const tag = deriveSecret(appSecret, `member-objects/${normalizeWallet(wallet)}`).slice(0, 16);
  return `members/${tag}/`;
}

const notFound = () => new NotFoundError("object_not_found", "No such object.");

/**
 * The full store key of `key` for `wallet`: a key starting with `members/` must lie in the caller's
 * own namespace (else `object_not_found`); any other key is taken relative to it.
 */
export function resolveMemberKey(appSecret: string, { wallet, key }: MemberObjectRef): string {
  const prefix = memberObjectPrefix(appSecret, wallet);
  const full = key.startsWith("members/") ? key : prefix + key;
  if (!full.startsWith(prefix)) throw notFound();
  if (full === prefix) {
    throw new BadRequestError("invalid_object_key", "key: names no object");
  }
  assertValidKey(full);
  return full;
}

/** The base media type (`image/png; x=y` → `image/png`), lower-cased. */
function baseType(contentType: string): string {
  return contentType.split(";")[0].trim().toLowerCase();
}

/**
 * Stores `bytes` under the caller's `key` (replacing what is there). UnsupportedMediaTypeError
 * (`object_type_unsupported`), PayloadTooLargeError (`object_too_large`), BadRequestError
 * (`invalid_object_key`), NotFoundError (`object_not_found`: someone else's key).
 */
export async function putMemberObject(
  deps: MemberObjectDeps,
  ref: MemberObjectRef & { bytes: Uint8Array; contentType: string },
): Promise<ObjectInfo & { contentType: string }> {
  const key = resolveMemberKey(deps.appSecret, ref);
  const contentType = baseType(ref.contentType);
  if (!(MEMBER_OBJECT_TYPES as readonly string[]).includes(contentType)) {
    throw new UnsupportedMediaTypeError(
      "object_type_unsupported",
      `Objects must be one of ${MEMBER_OBJECT_TYPES.join(", ")}, not ${contentType || "untyped"}.`,
    );
  }
  if (ref.bytes.byteLength > MAX_MEMBER_OBJECT_BYTES) {
    throw new PayloadTooLargeError(
      "object_too_large",
      `Objects must be at most ${MAX_MEMBER_OBJECT_BYTES / 1024 / 1024} MiB.`,
    );
  }
  const info = await deps.objects.put(key, ref.bytes, { contentType });
  return { ...info, contentType };
}

/** Reads the caller's object (or a byte range of it). NotFoundError(`object_not_found`). */
export async function getMemberObject(
  deps: MemberObjectDeps,
  ref: MemberObjectRef & { range?: ByteRange },
): Promise<GetResult> {
  const key = resolveMemberKey(deps.appSecret, ref);
  const object = await deps.objects.get(key, ref.range ? { range: ref.range } : undefined);
  if (!object) throw notFound();
  return object;
}

/** Deletes the caller's object. NotFoundError(`object_not_found`) when there is none. */
export async function deleteMemberObject(
  deps: MemberObjectDeps,
  ref: MemberObjectRef,
): Promise<void> {
  const key = resolveMemberKey(deps.appSecret, ref);
  if (!await deps.objects.head(key)) throw notFound();
  await deps.objects.delete(key);
}

/** Lists the caller's objects, a page at a time (`cursor` "" after the last page). */
export async function listMemberObjects(
  deps: MemberObjectDeps,
  { wallet, cursor, limit }: { wallet: string; cursor?: string; limit?: number },
): Promise<{ prefix: string; values: ObjectInfo[]; cursor: string }> {
  const prefix = memberObjectPrefix(deps.appSecret, wallet);
  const page = await deps.objects.list(prefix, { cursor: cursor || undefined, limit });
  return { prefix, ...page };
}
