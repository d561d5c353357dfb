/** Opens the production dependencies described by the configuration. */
import { dirname } from "node:path";
import type { AppConfig } from "@/core/config.ts";
import { completeDeps } from "./app.ts";
import type { AppDeps } from "./deps.ts";

/** Opens the KV store (creating the data folder) and fills in the other dependencies. */
export async function openDeps(config: AppConfig): Promise<AppDeps> {
  if (config.kvPath !== ":memory:") await Deno.mkdir(dirname(config.kvPath), { recursive: true });
  const kv = await Deno.openKv(config.kvPath);
  return completeDeps({ kv, config });
}
