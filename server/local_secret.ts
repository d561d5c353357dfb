/** Development convenience: a root secret kept in the data folder so restarts keep sessions' keys. */
import { join } from "node:path";

/**
 * Outside production, when `APP_SECRET` is unset, reads `<DATA_DIR>/app_secret` or creates it
 * (random, mode 0600). Production must set `APP_SECRET` explicitly.
 */
export async function withLocalSecret(
  env: Record<string, string | undefined>,
): Promise<Record<string, string | undefined>> {
  if (env.APP_SECRET || env.AURUM_ENV === "production") return env;
  const dir = env.DATA_DIR || "./data";
  const path = join(dir, "app_secret");
  try {
    const existing = (await Deno.readTextFile(path)).trim();
    if (existing.length >= 32) return { ...env, APP_SECRET: existing };
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  await Deno.writeTextFile(path, secret + "\n", { mode: 0o600 });
  return { ...env, APP_SECRET: secret };
}
