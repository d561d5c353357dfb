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
  await (await serve(manifest, config)).finished;
}

/** A running server from {@link serve}. */
export interface FreshServer {
  /** Resolves when the server has stopped. */
  finished: Promise<void>;
  /**
   * Stops gracefully: requests whose handler is still running (reading its body, say) finish
   * first, while new requests get a 503 asking to retry; then the listener closes and responses
   * still streaming are let finish. Deno 2.9's `shutdown()` makes request bodies that are still
   * being read unreadable, hence the first phase.
   */
  shutdown(): Promise<void>;
}

/** Starts serving the app with `Deno.serve`; stop it with {@link FreshServer.shutdown}. */
export async function serve(manifest: Manifest, config: FreshConfig = {}): Promise<FreshServer> {
  const handler = await createHandler(manifest, config);
  const { port, hostname, signal } = handler.config.server;
  let running = 0;
  let draining = false;
  let idle = Promise.withResolvers<void>();
  const fetch = async (req: Request, info: Deno.ServeHandlerInfo): Promise<Response> => {
    if (draining) {
      await req.body?.cancel().catch(() => {});
      return new Response("The server is restarting. Try again in a moment.\n", {
        status: 503,
        headers: {
          "content-type": "text/plain; charset=utf-8",
          "retry-after": "2",
          connection: "close",
        },
      });
    }
    running++;
    try {
      return await handler.fetch(req, info);
    } finally {
      if (--running === 0) idle.resolve();
    }
  };
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
  }, fetch);
  return {
    finished: server.finished,
    async shutdown() {
      draining = true;
      if (running > 0) {
        idle = Promise.withResolvers<void>();
        await idle.promise;
      }
      await server.shutdown();
    },
  };
}
