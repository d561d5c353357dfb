/** Development convenience: a root secret kept in the data folder so restarts keep sessions' keys. */
import { join } from "node:path";
import { isProductionEnv } from "@/core/config.ts";

/**
 * Outside production, when `APP_SECRET` is unset, reads `<DATA_DIR>/app_secret` or creates it
 * (random, mode 0600). Production (and Deno Deploy) must set `APP_SECRET` and touches no file.
 * Synchronous, so `main.ts` reaches its queue listener without awaiting anything but KV.
 */
export function withLocalSecret(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  if (env.APP_SECRET || isProductionEnv(env)) return env;
  const dir = env.DATA_DIR || "./data";
  const path = join(dir, "app_secret");
  try {
    const existing = Deno.readTextFileSync(path).trim();
    if (existing.length >= 32) return { ...env, APP_SECRET: existing };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  Deno.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  Deno.writeTextFileSync(path, secret + "\n", { mode: 0o600 });
  return { ...env, APP_SECRET: secret };
}
