/**
 * Graceful shutdown on SIGTERM or SIGINT: end the live event streams, let in-flight requests finish
 * while new ones are turned away, close the listener (all bounded), then close the cache, the object
 * store, the photo workers and the KV.
 */
import type { FreshServer } from "$fresh/server.ts";
import type { AppDeps } from "./deps.ts";

/** How long in-flight requests get to finish once a shutdown starts. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** What {@link shutDown} stops. */
export interface ShutdownTarget {
  server: Pick<FreshServer, "shutdown">;
  deps: Pick<AppDeps, "kv" | "cache" | "objects" | "ml" | "logger" | "streams">;
}

/**
 * Stops the server and releases the backends; resolves true when every in-flight request finished
 * within `graceMs`, false when the bound cut some off.
 */
export async function shutDown(
  { server, deps }: ShutdownTarget,
  graceMs = SHUTDOWN_GRACE_MS,
): Promise<boolean> {
  const drained = server.shutdown();
  const streams = deps.streams.closeAll();
  deps.logger.log("info", "shutdown_started", { graceMs, streams });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const inTime = await Promise.race([
    drained.then(() => true),
    new Promise<boolean>((resolve) => timer = setTimeout(() => resolve(false), graceMs)),
  ]);
  clearTimeout(timer);
  if (!inTime) deps.logger.log("warn", "shutdown_forced", { graceMs });
  await deps.cache.close().catch(() => {});
  await deps.objects.close().catch(() => {});
  await deps.ml.close?.().catch(() => {});
  deps.kv.close();
  deps.logger.log("info", "shutdown_finished", { drained: inTime });
  return inTime;
}

/**
 * On the first SIGTERM or SIGINT, runs {@link shutDown} and exits: 0 when every request finished in
 * time, 1 when the bound cut some off or the shutdown failed. `beforeExit` runs first (timers).
 */
export function exitOnSignal(target: ShutdownTarget, beforeExit: () => void = () => {}): void {
  let started = false;
  const onSignal = () => {
    if (started) return;
    started = true;
    shutDown(target)
      .then((inTime) => inTime ? 0 : 1, (error) => {
        target.deps.logger.log("error", "shutdown_failed", { error: String(error) });
        return 1;
      })
      .then((code) => {
        beforeExit();
        Deno.exit(code);
      });
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) Deno.addSignalListener(signal, onSignal);
}
