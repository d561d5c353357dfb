/** Opens the production dependencies described by the configuration. */
import { dirname } from "node:path";
import type { AppConfig } from "@/core/config.ts";
import { completeDeps } from "./app.ts";
import type { AppDeps } from "./deps.ts";

/**
 * Opens the KV store (creating the data folder), fills in the other dependencies and readies the
 * vector store.
 */
export async function openDeps(config: AppConfig): Promise<AppDeps> {
  if (config.kvPath !== ":memory:") await preparePrivateKvFile(config.kvPath);
  const kv = await Deno.openKv(config.kvPath);
  const deps = completeDeps({ kv, config });
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
