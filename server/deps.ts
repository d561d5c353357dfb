/** The backends the app is composed from, injected so tests build the real app on `:memory:` KV. */
import type { Clock } from "../core/clock.ts";
import type { AppConfig } from "../core/config.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/** A readiness probe of one backend: resolves when it answers, rejects otherwise. */
export type HealthCheck = () => Promise<void>;

/** Everything routes reach through `ctx.state.deps`. Later backends join this record. */
export interface AppDeps {
  kv: Deno.Kv;
  clock: Clock;
  config: AppConfig;
  logger: Logger;
  metrics: Metrics;
  /** Readiness checks by backend name, reported by `GET /api/health`. */
  health: Record<string, HealthCheck>;
}

/** What every request carries on `ctx.state`. */
export interface AppState {
  deps: AppDeps;
  requestId: string;
  /** The CSP nonce of this response (the page renderer uses it for the island script). */
  nonce: string;
  [key: string]: unknown;
}
