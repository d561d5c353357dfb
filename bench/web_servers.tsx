/**
 * The three servers `bench/web.ts` compares, one per process: `hello` (bare Deno.serve),
 * `floor` (plain Hono + preact-render-to-string, same markup, no framework, no middleware),
 * `app` (the real app with its full middleware stack). Usage: web_servers.ts <kind> <port>.
 */
import { Hono } from "hono";
import { renderToString } from "preact-render-to-string";
import App from "../routes/_app.tsx";
import type { AppProps } from "$fresh/server.ts";
import { createApp } from "../server/app.ts";
import { createJsonLogger } from "../server/logger.ts";
import { loadConfig } from "../core/config.ts";
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
        (c) =>
          c.html(
            "<!DOCTYPE html>" +
              renderToString(<App {...({ Component: BenchCardsPage } as unknown as AppProps)} />),
          ),
      );
      return (req) => hono.fetch(req);
    }
    case "app": {
      const kv = await Deno.openKv(":memory:");
      const app = await createApp(
        { kv, config: loadConfig({ AURUM_ENV: "production" }), logger: createJsonLogger("warn") },
        {
          plugins: [{
            name: "bench",
            routes: [{ path: "/bench/cards", component: BenchCardsPage }],
          }],
        },
      );
      return app.fetch;
    }
  }
  throw new Error(`unknown server kind ${kind}`);
}

Deno.serve(
  { port, hostname: "127.0.0.1", onListen: () => console.log("ready") },
  await handlerFor(kind),
);
