/**
 * Configuration from environment variables, validated with zod. Every value has an embedded
 * default so `deno task start` runs with no configuration at all.
 */
import { createHmac } from "node:crypto";
import { z } from "zod";
import { walletAddressSchema } from "@/core/members.ts";
import { type StorageConfig, storageConfigFromEnv } from "@/core/storage/config.ts";

/** World Chain mainnet's public JSON-RPC endpoint. */
const WORLD_CHAIN_PUBLIC_RPC = "https://worldchain-mainnet.g.alchemy.com/public";

const port = z.coerce.number().int().min(1).max(65535);
const boolean = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");
const address = walletAddressSchema("must be a 0x-prefixed 20-byte address");
const bytes = z.coerce.number().int().min(1024).max(1024 * 1024 * 1024);

const ConfigSchema = z.object({
  AURUM_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: port.default(8000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  /**
   * Path of the Deno KV SQLite file; defaults to `<DATA_DIR>/aurum.kv`, and to Deno Deploy's
   * managed KV on Deploy. ":memory:" and a KV Connect URL (`https://…`) are allowed.
   */
  KV_PATH: z.string().min(1).optional(),
  /** Set by Deno Deploy: the process runs there (production, managed KV, no filesystem writes). */
  DENO_DEPLOYMENT_ID: z.string().min(1).optional(),
  /** The public origin (scheme://host[:port]) behind proxies; CSRF checks accept it. */
  PUBLIC_ORIGIN: z.url().optional().transform((u) => u?.replace(/\/$/, "")),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Largest request body accepted by default (bytes). */
  MAX_BODY_BYTES: bytes.default(1024 * 1024),
  /** Photo-analysis worker threads; defaults to min(2, CPU cores). */
  ML_WORKERS: z.coerce.number().int().min(1).max(64).optional(),
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Trust `X-Forwarded-For` for the client IP (only behind a proxy that sets it). */
  TRUST_PROXY: boolean.default(false),
  /** Development sign-in with personas; defaults to on in development only. */
  DEV_SIGN_IN: boolean.optional(),
  /** Redis for shared caches and rate limits; in-process when unset. */
  REDIS_URL: z.url().optional(),
  /** Qdrant for the photo-style vectors; the embedded WASM index (kept in KV) when unset. */
  QDRANT_URL: z.url().optional(),
  QDRANT_API_KEY: z.string().min(1).optional(),
  QDRANT_COLLECTION: z.string().regex(
    /^[A-Za-z0-9_-]{1,64}$/,
    "must be 1–64 letters, digits, _ or -",
  )
    .default("photo_styles"),
  /** EVM chain: World Chain (480) by default; a local anvil in development. */
  CHAIN_ID: z.coerce.number().int().positive().default(480),
  /** JSON-RPC endpoint; production defaults to World Chain's public RPC, elsewhere no chain. */
  CHAIN_RPC_URL: z.url().optional(),
  /** The gate ERC-721 contract; without it nobody is admitted by NFT. */
  GATE_CONTRACT: address.optional(),
  GATE_TTL_SECONDS: z.coerce.number().int().min(1).max(86400).default(300),
  /** World App mini-app id and World ID action, from the developer portal. */
  WORLD_APP_ID: z.string().regex(/^app_[A-Za-z0-9_]+$/, "must look like app_…").default(
    "app_aurum_circle_dev",
  ),
  WORLD_ID_ACTION: z.string().min(1).max(128).default("enter-the-circle"),
  WORLD_ID_PORTAL_URL: z.url().default("https://developer.worldcoin.org"),
  /**
   * The server's root secret (≥ 32 chars); per-purpose keys (signed URLs, QR codes, IP hashes)
   * are derived from it. Required in production; `deno task start` keeps one in the data folder.
   */
  APP_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  SESSION_TTL_SECONDS: z.coerce.number().int().min(300).max(90 * 86400).default(14 * 86400),
  /** TicketNFT contract; without it ticket mint jobs retry and then dead-letter. */
  TICKET_CONTRACT: address.optional(),
  /** The server's minter key for TicketNFT (required with TICKET_CONTRACT). */
  TICKET_MINTER_PRIVATE_KEY: z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x + 64 hex digits")
    .optional(),
  /** TicketNFT's deployment block (where mint logs are searched from). */
  TICKET_CONTRACT_FROM_BLOCK: z.coerce.bigint().min(0n).default(0n),
  /** World developer portal API key (Bearer) for confirming MiniKit payments. */
  WORLD_API_KEY: z.string().min(8, "must be at least 8 characters").optional(),
  /** The whitelisted address ticket payments go to. */
  PAYMENT_RECIPIENT: address.optional(),
  /** Lifetime of an invite code, in days. */
  INVITE_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  /** New signals a member may send per (UTC) day. */
  SIGNAL_DAILY_QUOTA: z.coerce.number().int().min(1).max(1000).default(10),
  /** Comma-separated wallets that administer events and scan check-ins. */
  ADMIN_WALLETS: z.string().optional().transform((text, ctx) => {
    const wallets = (text ?? "").split(",").map((w) => w.trim()).filter(Boolean);
    for (const wallet of wallets) {
      if (!walletAddressSchema().safeParse(wallet).success) {
        ctx.addIssue({ code: "custom", message: `not an address: ${wallet}` });
      }
    }
    return wallets.map((w) => w.toLowerCase());
  }),
});

type Env = z.infer<typeof ConfigSchema>;

/** The environment variables the configuration reads (the storage backend's S3_* come on top). */
export const CONFIG_KEYS: readonly string[] = Object.keys(ConfigSchema.shape);

/** The validated application configuration. */
export interface AppConfig {
  env: Env["AURUM_ENV"];
  port: number;
  hostname: string;
  dataDir: string;
  /** Whether the process runs on Deno Deploy (`DENO_DEPLOYMENT_ID` is set). */
  deploy: boolean;
  /**
   * Where KV lives: a file path, ":memory:" or a KV Connect URL; undefined on Deno Deploy without
   * `KV_PATH`, where `Deno.openKv()` opens the managed store.
   */
  kvPath: string | undefined;
  publicOrigin?: string;
  logLevel: Env["LOG_LEVEL"];
  maxBodyBytes: number;
  /** Photo-analysis worker threads (unset: min(2, CPU cores)). */
  mlWorkers?: number;
  metricsToken?: string;
  trustProxy: boolean;
  devSignIn: boolean;
  redisUrl?: string;
  /** The vector store: Qdrant when `url` is set, else the embedded index. */
  vectors: { qdrantUrl?: string; qdrantApiKey?: string; qdrantCollection: string };
  chain: { id: number; rpcUrl?: string; gateContract?: string; gateTtlSeconds: number };
  worldId: { appId: string; action: string; portalUrl: string };
  sessionTtlSeconds: number;
  /** Root secret; use {@link deriveSecret} for a purpose-specific key. */
  appSecret: string;
  /** Object storage: the filesystem under the data folder, or S3/R2 when `S3_*` are set. */
  storage: StorageConfig;
  /** Events and tickets: the TicketNFT chain settings, payments and the check-in key. */
  tickets: {
    contract?: string;
    minterPrivateKey?: string;
    fromBlock: bigint;
    worldApiKey?: string;
    paymentRecipient?: string;
    /** HMAC key of check-in QR tokens (derived from the root secret). */
    checkinSecret: string;
  };
  /** Lowercase wallets of the event admins. */
  adminWallets: string[];
  /** Invites and signals: code lifetime and the daily signal quota. */
  social: { inviteTtlMs: number; signalDailyQuota: number };
}

/** A key for one purpose derived from the root secret (HMAC-SHA256, hex). */
export function deriveSecret(appSecret: string, purpose: string): string {
  return createHmac("sha256", appSecret).update(`aurum-circle/${purpose}`).digest("hex");
}

/** True for a KV Connect URL (`https://…`), which `Deno.openKv` opens remotely. */
export function isKvUrl(path: string): boolean {
  return /^https?:\/\//i.test(path);
}

/**
 * Whether an environment describes production: `AURUM_ENV=production`, or any process on Deno
 * Deploy (`DENO_DEPLOYMENT_ID` set). Production reads no local files and writes none.
 */
export function isProductionEnv(env: Record<string, string | undefined>): boolean {
  return env.AURUM_ENV === "production" || !!env.DENO_DEPLOYMENT_ID;
}

/** The object-store variables production requires. */
const S3_REQUIRED = "S3_ENDPOINT, S3_BUCKET, S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY";

/** Thrown when an environment variable has an invalid value; the message names the variable. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Reads and validates the configuration from an environment record (e.g. `Deno.env.toObject()`). */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const known = Object.fromEntries(
    Object.keys(ConfigSchema.shape).map((key) => [key, env[key] === "" ? undefined : env[key]]),
  );
  const parsed = ConfigSchema.safeParse(known);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}: ${issue.message} (got ${JSON.stringify(env[name])})`;
    });
    throw new ConfigError(`Invalid configuration — ${problems.join("; ")}`);
  }
  const e = parsed.data;
  const deploy = e.DENO_DEPLOYMENT_ID !== undefined;
  if (deploy) {
    // Deploy is always production; an explicit other value is a mistake worth stopping for.
    if (known.AURUM_ENV !== undefined && e.AURUM_ENV !== "production") {
      throw new ConfigError(
        `Invalid configuration — AURUM_ENV: must be production on Deno Deploy (got ${
          JSON.stringify(env.AURUM_ENV)
        })`,
      );
    }
    e.AURUM_ENV = "production";
    if (e.KV_PATH !== undefined && e.KV_PATH !== ":memory:" && !isKvUrl(e.KV_PATH)) {
      throw new ConfigError(
        `Invalid configuration — KV_PATH: on Deno Deploy leave it unset (managed KV), or give a KV Connect URL or :memory: (got ${
          JSON.stringify(env.KV_PATH)
        })`,
      );
    }
  }
  const devSignIn = e.DEV_SIGN_IN ?? e.AURUM_ENV === "development";
  if (devSignIn && e.AURUM_ENV === "production") {
    throw new ConfigError(
      "Invalid configuration — DEV_SIGN_IN: development sign-in cannot be enabled when AURUM_ENV is production",
    );
  }
  if (e.AURUM_ENV === "production") {
    for (const name of ["WORLD_APP_ID", "PUBLIC_ORIGIN", "APP_SECRET", "METRICS_TOKEN"] as const) {
      if (!env[name]) {
        throw new ConfigError(`Invalid configuration — ${name}: required in production`);
      }
    }
  }
  // Outside production a missing secret is ephemeral: fine for tests, and `main.ts` persists one.
  const appSecret = e.APP_SECRET ?? randomSecret();
  if (e.TICKET_CONTRACT && !e.TICKET_MINTER_PRIVATE_KEY) {
    throw new ConfigError(
      "Invalid configuration — TICKET_MINTER_PRIVATE_KEY: required when TICKET_CONTRACT is set",
    );
  }
  let storage: StorageConfig;
  try {
    storage = storageConfigFromEnv(env, {
      dataDir: e.DATA_DIR,
      devSigningKey: deriveSecret(appSecret, "object-urls"),
      publicBaseUrl: e.PUBLIC_ORIGIN,
    });
  } catch (error) {
    throw new ConfigError(`Invalid configuration — ${(error as Error).message}`);
  }
  if (e.AURUM_ENV === "production" && storage.kind !== "s3") {
    throw new ConfigError(
      `Invalid configuration — S3_*: production stores objects on S3/R2 only; set ${S3_REQUIRED}`,
    );
  }
  return {
    env: e.AURUM_ENV,
    port: e.PORT,
    hostname: e.HOSTNAME,
    dataDir: e.DATA_DIR,
    deploy,
    kvPath: e.KV_PATH ?? (deploy ? undefined : `${e.DATA_DIR.replace(/\/$/, "")}/aurum.kv`),
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    mlWorkers: e.ML_WORKERS,
    metricsToken: e.METRICS_TOKEN,
    trustProxy: e.TRUST_PROXY,
    devSignIn,
    redisUrl: e.REDIS_URL,
    vectors: {
      qdrantUrl: e.QDRANT_URL,
      qdrantApiKey: e.QDRANT_API_KEY,
      qdrantCollection: e.QDRANT_COLLECTION,
    },
    chain: {
      id: e.CHAIN_ID,
      rpcUrl: e.CHAIN_RPC_URL ??
        (e.AURUM_ENV === "production" ? WORLD_CHAIN_PUBLIC_RPC : undefined),
      gateContract: e.GATE_CONTRACT,
      gateTtlSeconds: e.GATE_TTL_SECONDS,
    },
    worldId: { appId: e.WORLD_APP_ID, action: e.WORLD_ID_ACTION, portalUrl: e.WORLD_ID_PORTAL_URL },
    sessionTtlSeconds: e.SESSION_TTL_SECONDS,
    appSecret,
    storage,
    tickets: {
      contract: e.TICKET_CONTRACT,
      minterPrivateKey: e.TICKET_MINTER_PRIVATE_KEY,
      fromBlock: e.TICKET_CONTRACT_FROM_BLOCK,
      worldApiKey: e.WORLD_API_KEY,
      paymentRecipient: e.PAYMENT_RECIPIENT?.toLowerCase(),
      checkinSecret: deriveSecret(appSecret, "ticket-checkin"),
    },
    adminWallets: e.ADMIN_WALLETS,
    social: {
      inviteTtlMs: e.INVITE_TTL_DAYS * 24 * 60 * 60 * 1000,
      signalDailyQuota: e.SIGNAL_DAILY_QUOTA,
    },
  };
}

function randomSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
