/**
 * Members' own objects in the object store, under `members/<prefix>/…` where `<prefix>` is opaque
 * and per member (16 hex of an HMAC of the wallet under a key derived from the app secret), so a
 * key reveals nobody's wallet and nobody can name their way into another member's objects. A key
 * outside the caller's own namespace is answered as absent (`object_not_found`).
 *
 * Each member has a quota ({@link MEMBER_STORAGE_QUOTA}), kept in KV: `["member_objects", wallet,
 * key]` → `{ size, putId }` and two KvU64 counters, `["member_object_usage", wallet, "bytes"|"count"]`,
 * moved in the same commit as the entry and checked by versionstamp, so parallel puts cannot pass it.
 * A put reserves its size before it writes (and gives it back if the write fails); a delete frees it.
 * Objects stored before the quota existed have no entry: they neither count nor free anything.
 */
import { z } from "zod";
import { deriveSecret } from "@/core/config.ts";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
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

/** What one member may keep in their namespace, in total. */
export interface MemberStorageQuota {
  bytes: number;
  objects: number;
}

/** The default quota: 25 MiB in at most 100 objects. */
export const MEMBER_STORAGE_QUOTA: MemberStorageQuota = { bytes: 25 * 1024 * 1024, objects: 100 };

/** What the member-object functions need. */
export interface MemberObjectDeps {
  objects: ObjectStore;
  /** Where each member's usage is counted. */
  kv: Deno.Kv;
  /** The app's root secret (the namespace key is derived from it). */
  appSecret: string;
  /** Default {@link MEMBER_STORAGE_QUOTA}. */
  quota?: MemberStorageQuota;
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

const entrySchema = z.object({ size: z.number().int().min(0), putId: z.string() });
type Entry = z.infer<typeof entrySchema>;

const entryKey = (wallet: string, key: string): Deno.KvKey => ["member_objects", wallet, key];
const bytesKey = (wallet: string): Deno.KvKey => ["member_object_usage", wallet, "bytes"];
const countKey = (wallet: string): Deno.KvKey => ["member_object_usage", wallet, "count"];

const contended = () =>
  new ConflictError("storage_contended", "Too many changes to your storage at once. Try again.");

/** Reads the entry of `key` and the member's usage counters. */
async function readUsage(kv: Deno.Kv, wallet: string, key: string) {
  const [entry, bytes, count] = await kv.getMany<[unknown, Deno.KvU64, Deno.KvU64]>([
    entryKey(wallet, key),
    bytesKey(wallet),
    countKey(wallet),
  ]);
  return {
    checks: [entry, bytes, count],
    entry: entry.versionstamp ? entrySchema.parse(entry.value) : null,
    bytes: bytes.value instanceof Deno.KvU64 ? bytes.value.value : 0n,
    count: count.value instanceof Deno.KvU64 ? count.value.value : 0n,
  };
}

/** Writes `entry` (or removes it) and the new counters, checking everything `read` saw. */
function moveUsage(
  kv: Deno.Kv,
  wallet: string,
  key: string,
  read: Awaited<ReturnType<typeof readUsage>>,
  entry: Entry | null,
  bytes: bigint,
  count: bigint,
): Deno.AtomicOperation {
  const op = kv.atomic().check(...read.checks);
  if (entry) op.set(entryKey(wallet, key), entry);
  else op.delete(entryKey(wallet, key));
  return op
    .set(bytesKey(wallet), new Deno.KvU64(bytes < 0n ? 0n : bytes))
    .set(countKey(wallet), new Deno.KvU64(count < 0n ? 0n : count));
}

/**
 * Reserves `size` bytes for `key` (replacing what the entry held) within the quota; returns the entry
 * it replaced. PayloadTooLargeError `storage_quota_exceeded`.
 */
function reserve(
  deps: MemberObjectDeps,
  wallet: string,
  key: string,
  size: number,
  putId: string,
): Promise<Entry | null> {
  const quota = deps.quota ?? MEMBER_STORAGE_QUOTA;
  return commitWithRetry(async () => {
    const read = await readUsage(deps.kv, wallet, key);
    const bytes = read.bytes - BigInt(read.entry?.size ?? 0) + BigInt(size);
    const count = read.count + (read.entry ? 0n : 1n);
    if (bytes > BigInt(quota.bytes) || count > BigInt(quota.objects)) {
      throw new PayloadTooLargeError(
        "storage_quota_exceeded",
        `Your storage is full: each member may keep ${
          quota.bytes / 1024 / 1024
        } MiB in at most ${quota.objects} objects. Delete objects you no longer need, then try again.`,
      );
    }
    const op = moveUsage(deps.kv, wallet, key, read, { size, putId }, bytes, count);
    return { op, value: read.entry };
  }, contended);
}

/** Gives back the reservation `putId` of a put that failed, restoring the entry it replaced. */
async function unreserve(
  deps: MemberObjectDeps,
  wallet: string,
  key: string,
  putId: string,
  previous: Entry | null,
): Promise<void> {
  await commitWithRetry(async () => {
    const read = await readUsage(deps.kv, wallet, key);
    if (read.entry?.putId !== putId) return { value: undefined };
    const bytes = read.bytes - BigInt(read.entry.size) + BigInt(previous?.size ?? 0);
    const count = read.count - (previous ? 0n : 1n);
    return { op: moveUsage(deps.kv, wallet, key, read, previous, bytes, count), value: undefined };
  }, contended);
}

/** Frees what `key` counted against the member's quota (nothing when it has no entry). */
async function free(deps: MemberObjectDeps, wallet: string, key: string): Promise<void> {
  await commitWithRetry(async () => {
    const read = await readUsage(deps.kv, wallet, key);
    if (!read.entry) return { value: undefined };
    const bytes = read.bytes - BigInt(read.entry.size);
    const op = moveUsage(deps.kv, wallet, key, read, null, bytes, read.count - 1n);
    return { op, value: undefined };
  }, contended);
}

/** What the member stores against their quota: bytes and objects. */
export async function memberStorageUsage(
  deps: Pick<MemberObjectDeps, "kv">,
  wallet: string,
): Promise<{ bytes: number; objects: number }> {
  const read = await readUsage(deps.kv, normalizeWallet(wallet), "");
  return { bytes: Number(read.bytes), objects: Number(read.count) };
}

/**
 * Stores `bytes` under the caller's `key` (replacing what is there). UnsupportedMediaTypeError
 * (`object_type_unsupported`), PayloadTooLargeError (`object_too_large`, `storage_quota_exceeded`),
 * BadRequestError (`invalid_object_key`), NotFoundError (`object_not_found`: someone else's key),
 * ConflictError (`storage_contended`).
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
  const wallet = normalizeWallet(ref.wallet);
  const putId = crypto.randomUUID();
  const previous = await reserve(deps, wallet, key, ref.bytes.byteLength, putId);
  try {
    const info = await deps.objects.put(key, ref.bytes, { contentType });
    return { ...info, contentType };
  } catch (error) {
    await unreserve(deps, wallet, key, putId, previous);
    throw error;
  }
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

/** Deletes the caller's object and frees its quota. NotFoundError(`object_not_found`) when there is none. */
export async function deleteMemberObject(
  deps: MemberObjectDeps,
  ref: MemberObjectRef,
): Promise<void> {
  const key = resolveMemberKey(deps.appSecret, ref);
  if (!await deps.objects.head(key)) throw notFound();
  await deps.objects.delete(key);
  await free(deps, normalizeWallet(ref.wallet), key);
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

/**
 * Deletes every object in `wallet`'s namespace and their quota entries and counters (account
 * deletion). Objects go first: a failure leaves entries that a second run deletes with them.
 */
export async function deleteAllMemberObjects(
  deps: Pick<MemberObjectDeps, "kv" | "objects" | "appSecret">,
  wallet: string,
): Promise<number> {
  const who = normalizeWallet(wallet);
  const prefix = memberObjectPrefix(deps.appSecret, who);
  let deleted = 0;
  let cursor: string | undefined;
  do {
    const page = await deps.objects.list(prefix, { limit: 1000, cursor });
    if (page.values.length) await deps.objects.deleteMany(page.values.map((info) => info.key));
    deleted += page.values.length;
    cursor = page.cursor || undefined;
  } while (cursor);
  for await (const entry of deps.kv.list({ prefix: ["member_objects", who] })) {
    await deps.kv.delete(entry.key);
  }
  await deps.kv.atomic().delete(bytesKey(who)).delete(countKey(who)).commit();
  return deleted;
}
