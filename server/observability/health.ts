/** Liveness and readiness: each configured backend probed with a timeout. */
import type { HealthCheck } from "@/server/deps.ts";

/** One backend's probe result. */
export interface BackendHealth {
  ok: boolean;
  /** An optional backend being down degrades the app but does not make it unready. */
  optional: boolean;
  ms: number;
  error?: string;
}

/** The report `GET /api/health` returns. */
export interface HealthReport {
  live: true;
  ready: boolean;
  backends: Record<string, BackendHealth>;
}

/** Probes every backend in parallel; a probe slower than `timeoutMs` counts as down. */
export async function checkHealth(
  checks: Record<string, HealthCheck>,
  timeoutMs = 2000,
): Promise<HealthReport> {
  const entries = await Promise.all(
    Object.entries(checks).map(async ([name, check]) => [name, await probe(check, timeoutMs)]),
  );
  const backends = Object.fromEntries(entries) as Record<string, BackendHealth>;
  const ready = Object.values(backends).every((b) => b.ok || b.optional);
  return { live: true, ready, backends };
}

async function probe(check: HealthCheck, timeoutMs: number): Promise<BackendHealth> {
  const started = performance.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return {
      ok: true,
      optional: check.optional === true,
      ms: Math.round(performance.now() - started),
    };
  } catch (error) {
    // Only the message: backends' stack traces stay in the logs.
    const message = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      optional: check.optional === true,
      ms: Math.round(performance.now() - started),
      error: message,
    };
  } finally {
    clearTimeout(timer);
  }
}
