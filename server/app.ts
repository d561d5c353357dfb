/**
 * App composition: the manifest, the base Fresh config and one plugin that installs the
 * middleware stack with the injected dependencies.
 */
import type { FreshConfig, Plugin } from "$fresh/server.ts";
import { createHandler, type FreshHandler } from "$fresh/server.ts";
import manifest from "../fresh.gen.ts";
import baseConfig from "../fresh.config.ts";
import { systemClock } from "../core/clock.ts";
import { loadConfig } from "../core/config.ts";
import type { AppDeps } from "./deps.ts";
import { createJsonLogger } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { logPageError, requestContext } from "./middleware/request_context.ts";
import { securityHeaders } from "./middleware/security_headers.ts";
import { bodyLimit } from "./middleware/body_limit.ts";
import { csrfProtection } from "./middleware/csrf.ts";

/** The dependencies a caller must give; the rest get defaults. */
export type AppDepsInput = Pick<AppDeps, "kv"> & Partial<AppDeps>;

/** Fills in defaults: system clock, config from embedded defaults, JSON logs, fresh metrics. */
export function completeDeps(input: AppDepsInput): AppDeps {
  const config = input.config ?? loadConfig({});
  const kv = input.kv;
  return {
    clock: systemClock,
    logger: createJsonLogger(config.logLevel),
    metrics: new Metrics(),
    ...input,
    config,
    health: {
      kv: async () => {
        await kv.get(["health_probe"]);
      },
      ...input.health,
    },
  };
}

/** The plugin that puts the middleware stack in front of every route. */
export function appPlugin(deps: AppDeps): Plugin {
  return {
    name: "aurum",
    middlewares: [{
      path: "/",
      middleware: {
        handler: [
          requestContext(deps),
          securityHeaders({ production: deps.config.env === "production" }),
          csrfProtection(deps.config.publicOrigin),
          bodyLimit(deps.config.maxBodyBytes),
        ],
      },
    }],
  };
}

/** The full Fresh config for a set of dependencies. */
export function appConfig(deps: AppDeps, overrides: FreshConfig = {}): FreshConfig {
  return {
    ...baseConfig,
    ...overrides,
    plugins: [appPlugin(deps), ...(baseConfig.plugins ?? []), ...(overrides.plugins ?? [])],
    onError: logPageError(deps),
    server: { port: deps.config.port, hostname: deps.config.hostname, ...overrides.server },
  };
}

/** Builds the real app around injected dependencies; tests call `app.fetch(new Request(…))`. */
export async function createApp(
  input: AppDepsInput,
  overrides: FreshConfig = {},
): Promise<FreshHandler & { deps: AppDeps }> {
  const deps = completeDeps(input);
  const handler = await createHandler(manifest, appConfig(deps, overrides));
  return { ...handler, deps };
}
