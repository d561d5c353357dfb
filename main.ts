/// <reference lib="deno.unstable" />
/**
 * Production entry: validated config, real dependencies, a sweep of interrupted writes, then the
 * server until SIGTERM/SIGINT shuts it down gracefully (`server/shutdown.ts`).
 */
import { serve } from "$fresh/server.ts";
import manifest from "./fresh.gen.ts";
import { ConfigError, loadConfig } from "@/core/config.ts";
import { appConfig } from "@/server/app.ts";
import { openDeps } from "@/server/open_deps.ts";
import { withLocalChain } from "@/server/local_chain.ts";
import { withLocalSecret } from "@/server/local_secret.ts";
import { startJobs } from "@/server/background/jobs.ts";
import { scheduleTodayRun, TODAY_RUN_MINUTE } from "@/core/discovery/mod.ts";
import { dayKeyFor } from "@/core/social/mod.ts";
import { exitOnSignal } from "@/server/shutdown.ts";
import { INTERRUPTED_WRITE_AGE_MS, sweepInterruptedWrites } from "@/core/storage/mod.ts";

try {
  const config = loadConfig(await withLocalSecret(await withLocalChain(Deno.env.toObject())));
  const deps = await openDeps(config);
  // Leftovers of writes a crash or a kill interrupted: now, and again once today's are old enough.
  const sweep = () =>
    sweepInterruptedWrites(deps.objects).then(
      (removed) => {
        if (removed > 0) deps.logger.log("info", "storage_swept", { removed });
      },
      (error) => deps.logger.log("warn", "storage_sweep_failed", { error: String(error) }),
    );
  await sweep();
  const sweeping = setInterval(sweep, INTERRUPTED_WRITE_AGE_MS);
  Deno.unrefTimer(sweeping);
  // Today's circle, daily: by Deno.cron where the runtime has it (Deno Deploy, or `--unstable-cron`
  // as deno.json asks), registered here at the top level; else the job chain schedules each next
  // day with a delayed message. Either way the run is enqueued once per UTC day.
  const dailyByCron = typeof Deno.cron === "function";
  if (dailyByCron) {
    Deno.cron("discovery-today", `${TODAY_RUN_MINUTE} 0 * * *`, async () => {
      await scheduleTodayRun(deps, dayKeyFor(deps.clock.now()));
    });
  }
  startJobs(deps, undefined, { dailyByCron }).catch((error) =>
    deps.logger.log("error", "jobs_stopped", { error: String(error) })
  );
  const serving = serve(manifest, appConfig(deps, { dev: Deno.env.get("FRESH_DEV") === "1" }));
  // Signals are handled from before the server listens.
  const server = { shutdown: async () => await (await serving).shutdown() };
  exitOnSignal({ server, deps }, () => clearInterval(sweeping));
  await (await serving).finished;
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}
