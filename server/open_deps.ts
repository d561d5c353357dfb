/** Opens the production dependencies described by the configuration. */
import { dirname } from "node:path";
import { type AppConfig, isKvUrl } from "@/core/config.ts";
import { completeDeps } from "./app.ts";
import type { AppDeps } from "./deps.ts";

/**
 * Opens the configured KV store: Deno Deploy's managed KV when `config.kvPath` is undefined, a KV
 * Connect URL or ":memory:" as given (nothing touches the filesystem), or a file, whose folder
 * (0700) and file (0600) are created first.
 */
export async function openKv(config: Pick<AppConfig, "kvPath">): Promise<Deno.Kv> {
  const path = config.kvPath;
  if (path === undefined) return await Deno.openKv();
  if (path !== ":memory:" && !isKvUrl(path)) await preparePrivateKvFile(path);
  return await Deno.openKv(path);
}

/**
 * Fills in the other dependencies around a KV handle (opened with {@link openKv} when not given)
 * and readies the vector store.
 */
export async function openDeps(config: AppConfig, kv?: Deno.Kv): Promise<AppDeps> {
  const deps = completeDeps({ kv: kv ?? await openKv(config), config });
  // Builds the embedded vector index (or checks that Qdrant answers) before the first request.
  if (!(await deps.vectors.healthy())) {
    deps.logger.log("warn", "vectors_not_ready", { component: "vectors", kind: deps.vectors.kind });
  }
  return deps;
}

/**
 * Creates the KV file's folder (0700) and the file itself (0600) before KV opens it, so the
 * database and its journal files (which take the database's mode) are the server's alone. An
 * existing KV file is narrowed to 0600.
 */
async function preparePrivateKvFile(path: string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  try {
    await Deno.writeFile(path, new Uint8Array(), { createNew: true, mode: 0o600 });
  } catch (error) {
    if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    if (Deno.build.os !== "windows") await Deno.chmod(path, 0o600);
  }
}
