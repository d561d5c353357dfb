/// <reference lib="deno.unstable" />
/** Production entry: validated config, real dependencies, then `start(manifest, config)`. */
import { start } from "$fresh/server.ts";
import manifest from "./fresh.gen.ts";
import { ConfigError, loadConfig } from "@/core/config.ts";
import { appConfig } from "@/server/app.ts";
import { openDeps } from "@/server/open_deps.ts";
import { withLocalChain } from "@/server/local_chain.ts";
import { withLocalSecret } from "@/server/local_secret.ts";
import { startJobs } from "@/server/background/jobs.ts";

try {
  const config = loadConfig(await withLocalSecret(await withLocalChain(Deno.env.toObject())));
  const deps = await openDeps(config);
  startJobs(deps).catch((error) =>
    deps.logger.log("error", "jobs_stopped", { error: String(error) })
  );
  await start(manifest, appConfig(deps, { dev: Deno.env.get("FRESH_DEV") === "1" }));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
