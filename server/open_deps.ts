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
  if (config.kvPath !== ":memory:") await Deno.mkdir(dirname(config.kvPath), { recursive: true });
  const kv = await Deno.openKv(config.kvPath);
  const deps = completeDeps({ kv, config });
  // Builds the embedded vector index (or checks that Qdrant answers) before the first request.
  if (!(await deps.vectors.healthy())) {
    deps.logger.log("warn", "vectors_not_ready", { component: "vectors", kind: deps.vectors.kind });
  }
  return deps;
}
