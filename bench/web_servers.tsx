/**
 * The servers `bench/web.ts` compares, one per process: `hello` (bare Deno.serve), `floor` (plain
 * Hono + preact-render-to-string over classic `h()` vnodes), `precompiled` (plain Hono +
 * preact-render-to-string over precompiled JSX templates, the way the app compiles its pages),
 * `framework` (our Fresh layer without the app's middleware: a breakdown of the gap) and `app`
 * (the real app with its full middleware stack). All render the same markup; each server imports
 * only what it runs, so the floors carry no framework hooks. Usage: web_servers.tsx <kind> <port>.
 */
import type { VNode } from "preact";

const [kind, portArg] = Deno.args;
const port = Number(portArg);

type Serve = (req: Request, info: Deno.ServeHandlerInfo) => Response | Promise<Response>;

async function handlerFor(kind: string): Promise<Serve> {
  switch (kind) {
    case "hello":
      return () => new Response("Hello, world");
    case "floor":
    case "precompiled": {
      const { Hono } = await import("hono");
      const { renderToString } = await import("preact-render-to-string");
      const { h } = await import("preact");
      let page: (req: Request) => VNode | Promise<VNode>;
      if (kind === "floor") {
        const { BenchDocumentClassic } = await import("./web_page_classic.ts");
        page = () => h(BenchDocumentClassic, null) as VNode;
      } else {
        // The only server-side hook precompiled markup needs: aria-*/data-* booleans as strings.
        await import("$fresh/precompiled_attrs.ts");
        const { default: App } = await import("@/routes/_app.tsx");
        const { BenchCardsPage } = await import("./web_page.tsx");
        // `_app` is a `(req, ctx)` route component (it may read the member's navigation).
        page = async (req) => {
          const ctx = { Component: BenchCardsPage, state: {}, url: new URL(req.url) };
          return await App(req, ctx as unknown as Parameters<typeof App>[1]) as VNode;
        };
      }
      const hono = new Hono();
      hono.get(
        "/bench/cards",
        async (c) => c.html("<!DOCTYPE html>" + renderToString(await page(c.req.raw))),
      );
      return (req) => hono.fetch(req);
    }
    case "framework": {
      // Our Fresh layer alone (routing, layouts, island rendering), without the app's middleware.
      const { createHandler } = await import("$fresh/server.ts");
      const { default: manifest } = await import("@/fresh.gen.ts");
      const { BenchCardsPage } = await import("./web_page.tsx");
      const handler = await createHandler(manifest, {
        plugins: [{ name: "bench", routes: [{ path: "/bench/cards", component: BenchCardsPage }] }],
      });
      return handler.fetch;
    }
    case "app": {
      const { createApp } = await import("@/server/app.ts");
      const { createJsonLogger } = await import("@/server/observability/logger.ts");
      const { loadConfig } = await import("@/core/config.ts");
      const { BenchCardsPage } = await import("./web_page.tsx");
      const kv = await Deno.openKv(":memory:");
      // Production settings (HSTS, no dev sign-in) and production logging (one JSON line per
      // request, which bench/web.ts drains).
      const config = loadConfig({
        AURUM_ENV: "production",
        WORLD_APP_ID: "app_bench",
        APP_SECRET: "bench-secret-bench-secret-bench-secret",
        PUBLIC_ORIGIN: `http://127.0.0.1:${port}`,
        METRICS_TOKEN: "bench-metrics-token-0123456789",
        // Production wants an object store on S3; the benchmark page never touches it.
        S3_ENDPOINT: "http://127.0.0.1:9",
        S3_BUCKET: "bench",
        S3_ACCESS_KEY_ID: "bench",
        S3_SECRET_ACCESS_KEY: "bench-bench-bench",
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
