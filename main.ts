/// <reference lib="deno.unstable" />
/**
 * Production entry: validated config, real dependencies, the background jobs, then the server
 * until SIGTERM/SIGINT shuts it down gracefully (`server/shutdown.ts`).
 *
 * Deno Deploy wants the daily crons and the queue listener registered at the top level of this
 * module: the crons before anything is awaited, the listener right after `Deno.openKv` (the one
 * await before it). Their handlers wait for the dependencies to be ready.
 */
import { serve } from "$fresh/server.ts";
import manifest from "./fresh.gen.ts";
import { type AppConfig, ConfigError, loadConfig } from "@/core/config.ts";
import { appConfig } from "@/server/app.ts";
import type { AppDeps } from "@/server/deps.ts";
import { openDeps, openKv } from "@/server/open_deps.ts";
import { withLocalChain } from "@/server/local_chain.ts";
import { withLocalSecret } from "@/server/local_secret.ts";
import {
  listenForJobs,
  registerDailyJobs,
  scheduleNextRefitRun,
  scheduleNextTodayRun,
  schedulePhotoSweep,
} from "@/server/background/jobs.ts";
import { exitOnSignal } from "@/server/shutdown.ts";
import { INTERRUPTED_WRITE_AGE_MS, sweepInterruptedWrites } from "@/core/storage/mod.ts";

const ready = Promise.withResolvers<AppDeps>();
const cron = registerDailyJobs(ready.promise);

let config: AppConfig;
try {
  config = loadConfig(withLocalSecret(withLocalChain(Deno.env.toObject())));
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  Deno.exit(1);
}

const kv = await openKv(config);
// Without `Deno.cron` the orphan sweep is a self-renewing queue chain; with it, the cron sweeps.
const jobs = listenForJobs(kv, ready.promise, { renewSweep: !cron });

const deps = await openDeps(config, kv);
ready.resolve(deps);
jobs.catch((error) => deps.logger.log("error", "jobs_stopped", { error: String(error) }));
if (!cron) {
  // Without Deno.cron the daily work runs as self-renewing queue chains.
  schedulePhotoSweep(deps, 60_000).catch((error) =>
    deps.logger.log("warn", "photo_sweep_schedule_failed", { error: String(error) })
  );
  scheduleNextTodayRun(deps).catch((error) =>
    deps.logger.log("warn", "today_run_schedule_failed", { error: String(error) })
  );
  scheduleNextRefitRun(deps).catch((error) =>
    deps.logger.log("warn", "refit_run_schedule_failed", { error: String(error) })
  );
}

// The filesystem store's leftovers of writes a crash or a kill interrupted: now, and again once
// today's are old enough. S3/R2 uploads leave none, and production writes no file.
let sweeping: ReturnType<typeof setInterval> | undefined;
if (deps.objects.kind === "fs") {
  const sweep = () =>
    sweepInterruptedWrites(deps.objects).then(
      (removed) => {
        if (removed > 0) deps.logger.log("info", "storage_swept", { removed });
      },
      (error) => deps.logger.log("warn", "storage_sweep_failed", { error: String(error) }),
    );
  await sweep();
  const timer = setInterval(sweep, INTERRUPTED_WRITE_AGE_MS);
  Deno.unrefTimer(timer);
  sweeping = timer;
}

const serving = serve(manifest, appConfig(deps, { dev: Deno.env.get("FRESH_DEV") === "1" }));
// Signals are handled from before the server listens.
const server = { shutdown: async () => await (await serving).shutdown() };
exitOnSignal({ server, deps }, () => clearInterval(sweeping));
await (await serving).finished;
