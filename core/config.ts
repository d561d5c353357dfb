/**
 * Configuration from environment variables, validated with zod. Every value has an embedded
 * default so `deno task start` runs with no configuration at all.
 */
import { z } from "zod";

const port = z.coerce.number().int().min(1).max(65535);
const bytes = z.coerce.number().int().min(1024).max(1024 * 1024 * 1024);

const ConfigSchema = z.object({
  AURUM_ENV: z.enum(["development", "test", "production"]).default("development"),
  PORT: port.default(8000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  DATA_DIR: z.string().min(1).default("./data"),
  /** Path of the Deno KV SQLite file; defaults to `<DATA_DIR>/aurum.kv`. ":memory:" is allowed. */
  KV_PATH: z.string().min(1).optional(),
  /** The public origin (scheme://host[:port]) behind proxies; CSRF checks accept it. */
  PUBLIC_ORIGIN: z.url().optional().transform((u) => u?.replace(/\/$/, "")),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Largest request body accepted by default (bytes). */
  MAX_BODY_BYTES: bytes.default(1024 * 1024),
  /** When set, `GET /metrics` requires `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16).optional(),
});

type Env = z.infer<typeof ConfigSchema>;

/** The validated application configuration. */
export interface AppConfig {
  env: Env["AURUM_ENV"];
  port: number;
  hostname: string;
  dataDir: string;
  kvPath: string;
  publicOrigin?: string;
  logLevel: Env["LOG_LEVEL"];
  maxBodyBytes: number;
  metricsToken?: string;
}

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
  return {
    env: e.AURUM_ENV,
    port: e.PORT,
    hostname: e.HOSTNAME,
    dataDir: e.DATA_DIR,
    kvPath: e.KV_PATH ?? `${e.DATA_DIR.replace(/\/$/, "")}/aurum.kv`,
    publicOrigin: e.PUBLIC_ORIGIN,
    logLevel: e.LOG_LEVEL,
    maxBodyBytes: e.MAX_BODY_BYTES,
    metricsToken: e.METRICS_TOKEN,
  };
}
