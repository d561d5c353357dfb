/**
 * The Fresh 1.x server surface: `start`, `createHandler`, the `define*` helpers and types.
 * Application code imports this module as `$fresh/server.ts`.
 */
import type { ComponentChildren } from "preact";
import type { FreshConfig, FreshContext, Manifest } from "./types.ts";
import { createHandler } from "./handler.ts";
import { markRouteComponent } from "./render.ts";

export type * from "./types.ts";
export { createHandler, type FreshHandler } from "./handler.ts";

type RouteFn<State> = (
  req: Request,
  ctx: FreshContext<State>,
) => ComponentChildren | Response | Promise<ComponentChildren | Response>;

/** Defines a page component that receives `(req, ctx)` and may be async or return a Response. */
export function defineRoute<State = Record<string, unknown>>(fn: RouteFn<State>): RouteFn<State> {
  return markRouteComponent(fn);
}

/** Defines the `_app` wrapper; it renders `ctx.Component`. */
export function defineApp<State = Record<string, unknown>>(fn: RouteFn<State>): RouteFn<State> {
  return markRouteComponent(fn);
}

/** Defines a `_layout`; it renders `ctx.Component`. */
export function defineLayout<State = Record<string, unknown>>(fn: RouteFn<State>): RouteFn<State> {
  return markRouteComponent(fn);
}

/** Defines a Fresh config object (typed identity). */
export function defineConfig(config: FreshConfig): FreshConfig {
  return config;
}

/** Serves the app with `Deno.serve` until the config's abort signal fires. */
export async function start(manifest: Manifest, config: FreshConfig = {}): Promise<void> {
  const handler = await createHandler(manifest, config);
  const { port, hostname, signal } = handler.config.server;
  const server = Deno.serve({
    port,
    hostname,
    signal,
    onListen: ({ port, hostname }) =>
      console.log(JSON.stringify({
        level: "info",
        msg: `Aurum Circle listening on http://${
          hostname === "0.0.0.0" ? "localhost" : hostname
        }:${port}/`,
        dev: handler.config.dev,
        buildId: handler.build?.buildId ?? null,
      })),
  }, handler.fetch);
  await server.finished;
}
