/**
 * The three servers `bench/web.ts` compares, one per process: `hello` (bare Deno.serve),
 * `floor` (plain Hono + preact-render-to-string, same markup, no framework, no middleware),
 * `framework` (our Fresh layer without the app's middleware: a breakdown of the gap) and
 * `app` (the real app with its full middleware stack). Usage: web_servers.ts <kind> <port>.
 */
import { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import App from "@/routes/_app.tsx";
import type { FreshContext } from "$fresh/server.ts";
import type { VNode } from "preact";
import { createApp } from "@/server/app.ts";
import { createHandler } from "$fresh/server.ts";
import manifest from "@/fresh.gen.ts";
import { createJsonLogger } from "@/server/observability/logger.ts";
import { loadConfig } from "@/core/config.ts";
import { BenchCardsPage } from "./web_page.tsx";

const [kind, portArg] = Deno.args;
const port = Number(portArg);

async function handlerFor(
  kind: string,
): Promise<(req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>> {
  switch (kind) {
    case "hello":
      return () => new Response("Hello, world");
    case "floor": {
      const hono = new Hono();
      hono.get(
        "/bench/cards",
        async (c) => {
          // `_app` is a `(req, ctx)` route component (it may read the member's navigation).
          const ctx = { Component: BenchCardsPage, state: {}, url: new URL(c.req.url) };
          const page = await App(c.req.raw, ctx as unknown as FreshContext);
          return c.html("<!DOCTYPE html>" + renderToString(page as VNode));
        },
      );
      return (req) => hono.fetch(req);
    }
    case "framework": {
      // Our Fresh layer alone (routing, layouts, island rendering), without the app's middleware.
      const handler = await createHandler(manifest, {
        plugins: [{ name: "bench", routes: [{ path: "/bench/cards", component: BenchCardsPage }] }],
      });
      return handler.fetch;
    }
    case "app": {
      const kv = await Deno.openKv(":memory:");
      // Production settings (HSTS, no dev sign-in) and production logging (one JSON line per
      // request, which bench/web.ts drains).
      const config = loadConfig({
        AURUM_ENV: "production",
        WORLD_APP_ID: "app_bench",
        APP_SECRET: "bench-secret-bench-secret-bench-secret",
        PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
      });
      const app = await createApp(
        { kv, config, logger: createJsonLogger("info") },
        {
          plugins: [{
            name: "bench",
            routes: [{ path: "/bench/cards", component: BenchCardsPage }],
          }],
        },
        { access: { "/bench/cards": "public" } },
      );
      return app.fetch;
    }
  }
  throw new Error(`unknown server kind ${kind}`);
}

Deno.serve(
  // "ready" goes to stderr: stdout carries the request logs, which bench/web.ts discards.
  { port, hostname: "127.0.0.1", onListen: () => console.error("ready") },
  await handlerFor(kind),
);
