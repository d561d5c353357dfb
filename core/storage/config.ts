/** Object-store configuration: its validated shape, and how environment variables map onto it. */
import { z } from "zod";

/** Shape of the filesystem store configuration. */
export const FsConfigSchema = z.object({
  kind: z.literal("fs"),
  /** Folder holding the objects, e.g. `<DATA_DIR>/objects`. */
  root: z.string().min(1),
  /** HMAC secret for signed `/api/storage/…` URLs. */
  signingKey: z.string().min(32, "signingKey must be at least 32 characters"),
  /** Origin signed URLs start with; relative URLs when absent. */
  publicBaseUrl: z.url().optional(),
});

/** Shape of the S3/R2 store configuration. */
export const S3ConfigSchema = z.object({
  kind: z.literal("s3"),
  /** e.g. `https://<account>.r2.cloudflarestorage.com`, or `http://127.0.0.1:4568` for s3rver. */
  endpoint: z.url(),
  /** `auto` for R2. */
  region: z.string().min(1).default("auto"),
  bucket: z.string().regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    "bucket must be a valid bucket name",
  ),
  accessKeyId: z.string().min(1),
  secretAccessKey: z.string().min(1),
  /** `https://endpoint/bucket/key` instead of `https://bucket.endpoint/key` (s3rver, MinIO). */
  forcePathStyle: z.boolean().default(false),
  /** Deadline of one operation until the response starts (puts get +1 s per MiB of body). */
  timeoutMs: z.number().int().min(100).max(60_000).default(3_000),
  /** Attempts per operation, including the first. */
  maxAttempts: z.number().int().min(1).max(5).default(2),
});

/** Validated configuration of a filesystem store. */
export type FsStoreConfig = z.infer<typeof FsConfigSchema>;

/** Validated configuration of an S3/R2 store (defaults applied). */
export type S3StoreConfig = z.infer<typeof S3ConfigSchema>;

/** Configuration accepted by `createObjectStore`. */
export type StorageConfigInput = z.input<typeof StorageConfigSchema>;

/** Configuration after validation. */
export type StorageConfig = z.infer<typeof StorageConfigSchema>;

/** Filesystem-store settings as given to `createFsObjectStore`. */
export type FsStoreSettings = Omit<z.input<typeof FsConfigSchema>, "kind">;

/** S3-store settings as given to `createS3ObjectStore` (defaults not yet applied). */
export type S3StoreSettings = Omit<z.input<typeof S3ConfigSchema>, "kind">;

/** Either store's configuration, told apart by `kind`. */
export const StorageConfigSchema = z.discriminatedUnion("kind", [FsConfigSchema, S3ConfigSchema]);

function parseOrThrow<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
  throw new RangeError(`Invalid storage configuration — ${problems.join("; ")}`);
}

/** Validates a storage configuration; throws a `RangeError` naming each bad field. */
export function parseStorageConfig(input: StorageConfigInput): StorageConfig {
  return parseOrThrow(StorageConfigSchema, input);
}

/** Validates filesystem-store settings; throws a `RangeError` naming each bad field. */
export function parseFsSettings(input: FsStoreSettings): FsStoreConfig {
  return parseOrThrow(FsConfigSchema, { ...input, kind: "fs" });
}

/** Validates S3-store settings and applies defaults; throws a `RangeError` naming each bad field. */
export function parseS3Settings(input: S3StoreSettings): S3StoreConfig {
  return parseOrThrow(S3ConfigSchema, { ...input, kind: "s3" });
}

const S3_VARIABLES = [
  "S3_ENDPOINT",
  "S3_BUCKET",
  "S3_ACCESS_KEY_ID",
  "S3_SECRET_ACCESS_KEY",
] as const;

const booleanText = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

/**
 * Maps environment variables onto a storage configuration: S3 when `S3_ENDPOINT`, `S3_BUCKET`,
 * `S3_ACCESS_KEY_ID` and `S3_SECRET_ACCESS_KEY` are all set (plus optional `S3_REGION`, default `auto`,
 * and `S3_FORCE_PATH_STYLE`), otherwise the filesystem under `STORAGE_DIR` (default
 * `<dataDir>/objects`) signing URLs with `STORAGE_SIGNING_KEY`. Setting only some S3 variables is
 * an error, so a typo cannot silently fall back to local disk.
 */
export function storageConfigFromEnv(
  env: Record<string, string | undefined>,
  defaults: { dataDir: string; publicBaseUrl?: string; devSigningKey?: string },
): StorageConfig {
  const value = (name: string) => (env[name] === "" ? undefined : env[name]);
  const present = S3_VARIABLES.filter((name) => value(name) !== undefined);
  if (present.length > 0 && present.length < S3_VARIABLES.length) {
    const missing = S3_VARIABLES.filter((name) => value(name) === undefined);
    throw new RangeError(`S3 storage is half configured: missing ${missing.join(", ")}`);
  }
  if (present.length === S3_VARIABLES.length) {
    const pathStyle = booleanText.safeParse(value("S3_FORCE_PATH_STYLE") ?? "false");
    if (!pathStyle.success) throw new RangeError("S3_FORCE_PATH_STYLE must be true or false");
    return parseStorageConfig({
      kind: "s3",
      endpoint: value("S3_ENDPOINT")!,
      region: value("S3_REGION") ?? "auto",
      bucket: value("S3_BUCKET")!,
      accessKeyId: value("S3_ACCESS_KEY_ID")!,
      secretAccessKey: value("S3_SECRET_ACCESS_KEY")!,
      forcePathStyle: pathStyle.data,
    });
  }
  const signingKey = value("STORAGE_SIGNING_KEY") ?? defaults.devSigningKey;
  if (!signingKey) throw new RangeError("STORAGE_SIGNING_KEY must be set (≥ 32 characters)");
  return parseStorageConfig({
    kind: "fs",
    root: value("STORAGE_DIR") ?? `${defaults.dataDir.replace(/\/$/, "")}/objects`,
    signingKey,
    ...(defaults.publicBaseUrl ? { publicBaseUrl: defaults.publicBaseUrl } : {}),
  });
}
