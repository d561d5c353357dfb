/**
 * Backup and restore of the whole circle. The KV store becomes NDJSON: a header line, then one line
 * per entry `{"key": [...], "value": ...}` with every type kept (Uint8Array, bigint, Deno.KvU64, Date,
 * Map, Set, undefined, non-finite numbers) through tagged objects `{"$t": type, "v": …}`; a plain
 * object that itself has a `$t` key is wrapped as `{"$t": "object", "v": …}`. Versionstamps and
 * expiry times are not kept. The object store is described by a manifest (key, size, SHA-256,
 * content type, metadata) and may be copied alongside. Restore writes only into an empty store.
 */
import { z } from "zod";
import { BadRequestError, ConflictError } from "@/core/errors.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";

/** The header line's `format`. */
export const BACKUP_FORMAT = "aurum-circle-kv";
/** Entries written per atomic commit on restore. */
const RESTORE_BATCH = 50;

type Encoded = null | boolean | number | string | Encoded[] | { [key: string]: Encoded };

/** Encodes a KV key part or value as JSON-safe data (see the module comment). */
export function encodeValue(value: unknown): Encoded {
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (value === undefined) return { $t: "undefined" };
  if (typeof value === "number") {
    if (Number.isFinite(value) && !Object.is(value, -0)) return value;
    return { $t: "number", v: Object.is(value, -0) ? "-0" : String(value) };
  }
  if (typeof value === "bigint") return { $t: "bigint", v: value.toString() };
  if (value instanceof Deno.KvU64) return { $t: "u64", v: value.value.toString() };
  if (value instanceof Uint8Array) return { $t: "bytes", v: bytesToBase64(value) };
  if (value instanceof Date) return { $t: "date", v: value.toISOString() };
  if (value instanceof Map) {
    return { $t: "map", v: [...value].map(([k, v]) => [encodeValue(k), encodeValue(v)]) };
  }
  if (value instanceof Set) return { $t: "set", v: [...value].map(encodeValue) };
  if (Array.isArray(value)) return value.map(encodeValue);
  if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const encoded = Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, encodeValue(v)]),
    );
    return "$t" in encoded ? { $t: "object", v: encoded } : encoded;
  }
  throw new BadRequestError(
    "backup_unsupported_value",
    `Cannot back up a value of type ${Object.prototype.toString.call(value)}.`,
  );
}

/** Decodes what {@link encodeValue} produced. */
export function decodeValue(encoded: unknown): unknown {
  if (encoded === null || typeof encoded !== "object") return encoded;
  if (Array.isArray(encoded)) return encoded.map(decodeValue);
  const record = encoded as Record<string, unknown>;
  if (!("$t" in record)) {
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, decodeValue(v)]));
  }
  const v = record.v;
  switch (record.$t) {
    case "undefined":
      return undefined;
    case "number":
      return Number(z.string().parse(v));
    case "bigint":
      return BigInt(z.string().parse(v));
    case "u64":
      return new Deno.KvU64(BigInt(z.string().parse(v)));
    case "bytes":
      return base64ToBytes(z.string().parse(v));
    case "date":
      return new Date(z.string().parse(v));
    case "map":
      return new Map(
        z.array(z.tuple([z.unknown(), z.unknown()])).parse(v).map((
          [k, x],
        ) => [decodeValue(k), decodeValue(x)]),
      );
    case "set":
      return new Set(z.array(z.unknown()).parse(v).map(decodeValue));
    case "object":
      return Object.fromEntries(
        Object.entries(z.record(z.string(), z.unknown()).parse(v)).map((
          [k, x],
        ) => [k, decodeValue(x)]),
      );
    default:
      throw new Error(`unknown tag ${JSON.stringify(record.$t)}`);
  }
}

function bytesToBase64(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(text);
}

function base64ToBytes(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

const keyPartSchema = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.object({ $t: z.enum(["bigint", "bytes", "number"]), v: z.string() }),
]);
const headerSchema = z.object({ format: z.literal(BACKUP_FORMAT), version: z.literal(1) });
const lineSchema = z.object({ key: z.array(keyPartSchema).min(1), value: z.unknown() });

/** Writes every KV entry, in key order, through `writeLine`; returns how many. */
export async function exportKv(
  kv: Deno.Kv,
  writeLine: (line: string) => Promise<void>,
  now: number,
): Promise<number> {
  await writeLine(JSON.stringify({ format: BACKUP_FORMAT, version: 1, createdAt: now }));
  let count = 0;
  for await (const entry of kv.list({ prefix: [] })) {
    await writeLine(
      JSON.stringify({ key: entry.key.map(encodeValue), value: encodeValue(entry.value) }),
    );
    count++;
  }
  return count;
}

/** True when the KV store holds no entry at all. */
export async function isKvEmpty(kv: Deno.Kv): Promise<boolean> {
  for await (const _ of kv.list({ prefix: [] }, { limit: 1 })) return false;
  return true;
}

/** Parses one backup line (1-based `lineNumber` names it in errors). */
function parseLine(text: string, lineNumber: number): { key: Deno.KvKey; value: unknown } {
  try {
    const line = lineSchema.parse(JSON.parse(text));
    return { key: line.key.map(decodeValue) as Deno.KvKey, value: decodeValue(line.value) };
  } catch (error) {
    throw new BadRequestError(
      "backup_invalid",
      `line ${lineNumber} is not a backup entry (${
        error instanceof z.ZodError ? "unexpected shape" : (error as Error).message
      }).`,
    );
  }
}

/**
 * Restores a backup into an empty KV store. `lines` is called twice: every line is checked first
 * (BadRequestError `backup_invalid` naming the line, nothing written), then written in batches.
 * ConflictError `restore_not_empty` when the store holds anything. Returns the number of entries.
 */
export async function restoreKv(
  kv: Deno.Kv,
  lines: () => AsyncIterable<string>,
  options: { dryRun?: boolean } = {},
): Promise<number> {
  if (!(await isKvEmpty(kv))) {
    throw new ConflictError(
      "restore_not_empty",
      "The KV store is not empty; restore needs an empty one.",
    );
  }
  let count = 0;
  let lineNumber = 0;
  for await (const text of lines()) {
    lineNumber++;
    if (lineNumber === 1) {
      if (!headerSchema.safeParse(safeJson(text)).success) {
        throw new BadRequestError("backup_invalid", `line 1 is not an ${BACKUP_FORMAT} header.`);
      }
      continue;
    }
    if (text.trim()) {
      parseLine(text, lineNumber);
      count++;
    }
  }
  if (lineNumber === 0) throw new BadRequestError("backup_invalid", "The backup is empty.");
  if (options.dryRun) return count;
  let batch: { key: Deno.KvKey; value: unknown }[] = [];
  const flush = async () => {
    const op = kv.atomic();
    for (const entry of batch) op.set(entry.key, entry.value);
    if (!(await op.commit()).ok) {
      throw new ConflictError("restore_failed", "A restore commit failed.");
    }
    batch = [];
  };
  lineNumber = 0;
  for await (const text of lines()) {
    lineNumber++;
    if (lineNumber === 1 || !text.trim()) continue;
    batch.push(parseLine(text, lineNumber));
    if (batch.length === RESTORE_BATCH) await flush();
  }
  if (batch.length) await flush();
  return count;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const manifestObjectSchema = z.object({
  key: z.string().min(1),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  contentType: z.string(),
  metadata: z.record(z.string(), z.string()),
});

/** The objects manifest written next to a KV backup. */
export const objectManifestSchema = z.object({
  format: z.literal(`${BACKUP_FORMAT}-objects`),
  version: z.literal(1),
  createdAt: z.number().int(),
  objects: z.array(manifestObjectSchema),
});

/** The objects manifest. */
export type ObjectManifest = z.infer<typeof objectManifestSchema>;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>),
  );
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Reads every object (hashing it) into a manifest; `copy` receives each object's bytes. */
export async function buildObjectManifest(
  objects: ObjectStore,
  now: number,
  copy?: (key: string, bytes: Uint8Array) => Promise<void>,
): Promise<ObjectManifest> {
  const entries: ObjectManifest["objects"] = [];
  let cursor: string | undefined;
  do {
    const page = await objects.list("", { limit: 1000, cursor });
    for (const info of page.values) {
      const object = await objects.get(info.key);
      if (!object) continue; // deleted while listing
      const bytes = new Uint8Array(await new Response(object.body).arrayBuffer());
      entries.push({
        key: info.key,
        size: bytes.length,
        sha256: await sha256Hex(bytes),
        contentType: object.contentType,
        metadata: object.metadata,
      });
      await copy?.(info.key, bytes);
    }
    cursor = page.cursor || undefined;
  } while (cursor);
  return { format: `${BACKUP_FORMAT}-objects`, version: 1, createdAt: now, objects: entries };
}

/**
 * Puts every object of `manifest` (bytes from `read`, each checked against its SHA-256 first) into
 * an empty object store. ConflictError `restore_not_empty`; BadRequestError `backup_invalid` for a
 * missing or altered copy (checked for all objects before any is written). Returns how many.
 */
export async function restoreObjects(
  objects: ObjectStore,
  manifest: ObjectManifest,
  read: (key: string) => Promise<Uint8Array | null>,
  options: { dryRun?: boolean } = {},
): Promise<number> {
  if ((await objects.list("", { limit: 1 })).values.length) {
    throw new ConflictError("restore_not_empty", "The object store is not empty.");
  }
  for (const entry of manifest.objects) {
    const bytes = await read(entry.key);
    if (!bytes || bytes.length !== entry.size || await sha256Hex(bytes) !== entry.sha256) {
      throw new BadRequestError(
        "backup_invalid",
        `The copy of object ${entry.key} is missing or altered.`,
      );
    }
  }
  if (options.dryRun) return manifest.objects.length;
  for (const entry of manifest.objects) {
    await objects.put(entry.key, (await read(entry.key))!, {
      contentType: entry.contentType,
      metadata: entry.metadata,
    });
  }
  return manifest.objects.length;
}
