import assert from "node:assert/strict";
import { h } from "preact";
import { createHandler, defineRoute } from "$fresh/server.ts";
import type { FreshContext, Manifest, PageProps } from "$fresh/server.ts";

const root = new URL("./router_fixture/fresh.gen.ts", import.meta.url).href;

function page(name: string) {
  return {
    default: (props: PageProps) =>
      h("p", { "data-page": name }, `${name} ${new URLSearchParams(props.params)}`),
  };
}

function manifest(routes: Manifest["routes"]): Manifest {
  return { routes, islands: {}, baseUrl: root };
}

async function get(
  handler: { fetch(req: Request): Promise<Response> },
  path: string,
  init?: RequestInit,
) {
  const res = await handler.fetch(new Request(`http://localhost${path}`, init));
  return { res, text: await res.text() };
}

Deno.test("[fresh] file names map to URLs and static beats [param] beats [...rest]", async () => {
  const handler = await createHandler(manifest({
    "./routes/index.tsx": page("home"),
    "./routes/about.tsx": page("about"),
    "./routes/blog/[slug].tsx": page("post"),
    "./routes/blog/new.tsx": page("new-post"),
    "./routes/blog/index.tsx": page("blog"),
    "./routes/docs/[...path].tsx": page("docs"),
    "./routes/docs/intro.tsx": page("intro"),
    "./routes/shop/[[cat]].tsx": page("shop"),
    "./routes/(marketing)/pricing.tsx": page("pricing"),
    "./routes/[...catchall].tsx": page("catchall"),
  }));
  const cases: [string, string, string][] = [
    ["/", "home", ""],
    ["/about", "about", ""],
    ["/blog", "blog", ""],
    ["/blog/new", "new-post", ""],
    ["/blog/hello-world", "post", "slug=hello-world"],
    ["/docs/intro", "intro", ""],
    ["/docs/a/b/c", "docs", "path=a%2Fb%2Fc"],
    ["/docs", "docs", "path="],
    ["/shop", "shop", "cat="],
    ["/shop/rings", "shop", "cat=rings"],
    ["/pricing", "pricing", ""],
    ["/anything/else", "catchall", "catchall=anything%2Felse"],
  ];
  for (const [path, name, params] of cases) {
    const { res, text } = await get(handler, path);
    assert.equal(res.status, 200, path);
    assert.ok(text.includes(`data-page="${name}">${name} ${params}</p>`), `${path}: ${text}`);
  }
});

Deno.test("[fresh] handlers: methods, HEAD falls back to GET, 405 with Allow, ctx.render data", async () => {
  const handler = await createHandler(manifest({
    "./routes/items/[id].tsx": {
      handler: {
        GET: (_req: Request, ctx: FreshContext) => ctx.render({ id: ctx.params.id.toUpperCase() }),
        POST: () => new Response("created", { status: 201 }),
      },
      default: (props: PageProps<{ id: string }>) => h("b", null, props.data.id),
    },
    "./routes/api/fn.ts": { handler: (req: Request) => new Response(`any ${req.method}`) },
  }));
  assert.match((await get(handler, "/items/ab")).text, /<b>AB<\/b>/);
  const post = await get(handler, "/items/ab", { method: "POST" });
  assert.equal(post.res.status, 201);
  const head = await get(handler, "/items/ab", { method: "HEAD" });
  assert.equal(head.res.status, 200);
  assert.equal(head.text, "");
  const del = await get(handler, "/items/ab", { method: "DELETE" });
  assert.equal(del.res.status, 405);
  assert.equal(del.res.headers.get("allow"), "GET, HEAD, POST");
  assert.equal((await get(handler, "/api/fn", { method: "PATCH" })).text, "any PATCH");
});

Deno.test("[fresh] _app, nested _layout, skip options and async defineRoute", async () => {
  const handler = await createHandler(manifest({
    "./routes/_app.tsx": {
      default: ({ Component }: PageProps) => h("html", null, h("body", null, h(Component, null))),
    },
    "./routes/_layout.tsx": {
      default: ({ Component }: PageProps) => h("div", { class: "outer" }, h(Component, null)),
    },
    "./routes/admin/_layout.tsx": {
      default: ({ Component }: PageProps) => h("section", { class: "admin" }, h(Component, null)),
    },
    "./routes/admin/index.tsx": {
      default: defineRoute(async (_req, ctx) => {
        await Promise.resolve();
        return h("i", null, `async ${ctx.url.pathname}`);
      }),
    },
    "./routes/bare.tsx": {
      ...page("bare"),
      config: { skipAppWrapper: true, skipInheritedLayouts: true },
    },
    "./routes/redirect.tsx": {
      default: defineRoute(() => Response.redirect("http://localhost/", 302)),
    },
  }));
  const admin = (await get(handler, "/admin")).text;
  assert.equal(
    admin,
    '<!DOCTYPE html><html><body><div class="outer"><section class="admin"><i>async /admin</i></section></div></body></html>',
  );
  const bare = (await get(handler, "/bare")).text;
  assert.equal(bare, '<!DOCTYPE html><p data-page="bare">bare </p>');
  assert.equal((await get(handler, "/redirect")).res.status, 302);
});

Deno.test("[fresh] _middleware by folder: order, ctx.state, short-circuit, groups", async () => {
  const calls: string[] = [];
  const mw = (name: string) => ({
    handler: async (_req: Request, ctx: FreshContext) => {
      calls.push(name);
      (ctx.state as Record<string, string[]>).seen = [
        ...((ctx.state as Record<string, string[]>).seen ?? []),
        name,
      ];
      const res = await ctx.next();
      res.headers.append("x-mw", name);
      return res;
    },
  });
  const handler = await createHandler(manifest({
    "./routes/_middleware.ts": mw("root"),
    "./routes/api/_middleware.ts": mw("api"),
    "./routes/(members)/_middleware.ts": {
      handler: (_req: Request, _ctx: FreshContext) => new Response("members only", { status: 401 }),
    },
    "./routes/(members)/vault.tsx": page("vault"),
    "./routes/api/echo.ts": {
      handler: (_req: Request, ctx: FreshContext) => Response.json(ctx.state),
    },
  }));
  const { res, text } = await get(handler, "/api/echo");
  assert.deepEqual(JSON.parse(text), { seen: ["root", "api"] });
  assert.equal(res.headers.get("x-mw"), "api, root");
  const vault = await get(handler, "/vault");
  assert.equal(vault.res.status, 401);
  calls.length = 0;
  const missing = await get(handler, "/api/nope");
  assert.equal(missing.res.status, 404);
  assert.deepEqual(calls, ["root", "api"], "middleware runs for unmatched URLs under its folder");
});

Deno.test("[fresh] ctx.responseHeaders: rendered pages are built with them, other responses get them after", async () => {
  const handler = await createHandler(manifest({
    "./routes/_middleware.ts": {
      handler: async (_req: Request, ctx: FreshContext) => {
        ctx.responseHeaders.push(["x-frame-options", "DENY"], ["cache-control", "no-store"]);
        const res = await ctx.next();
        // What a middleware sees afterwards (redirects' headers are immutable: left alone).
        if (res.status < 300 || res.status >= 400) {
          res.headers.set("x-had-frame-options", String(res.headers.has("x-frame-options")));
        }
        return res;
      },
    },
    "./routes/plain.tsx": page("plain"),
    "./routes/cached.tsx": {
      handler: (_req: Request, ctx: FreshContext) =>
        ctx.render(undefined, { headers: { "Cache-Control": "max-age=60" } }),
      default: () => h("p", null, "cached"),
    },
    "./routes/api/json.ts": { handler: () => Response.json({ ok: true }) },
    "./routes/away.ts": { handler: () => Response.redirect("http://localhost/plain", 303) },
    "./routes/_404.tsx": { default: () => h("p", null, "lost") },
  }));
  const plain = await get(handler, "/plain");
  assert.equal(plain.res.headers.get("x-frame-options"), "DENY");
  assert.equal(plain.res.headers.get("cache-control"), "no-store");
  assert.equal(plain.res.headers.get("x-had-frame-options"), "true");
  assert.equal(plain.res.headers.get("content-type"), "text/html; charset=utf-8");
  const cached = await get(handler, "/cached");
  assert.equal(cached.res.headers.get("cache-control"), "max-age=60", "one value, the page's");
  assert.equal(cached.res.headers.get("x-frame-options"), "DENY");
  const missing = await get(handler, "/nope");
  assert.equal(missing.res.status, 404);
  assert.equal(missing.res.headers.get("x-frame-options"), "DENY", "_404 is rendered too");
  // A handler's own Response gets them once the middleware chain has returned.
  const json = await get(handler, "/api/json");
  assert.equal(json.res.headers.get("x-had-frame-options"), "false");
  assert.equal(json.res.headers.get("x-frame-options"), "DENY");
  assert.equal(json.res.headers.get("content-type"), "application/json");
  // Redirects have immutable headers: a copy carries them.
  const away = await handler.fetch(new Request("http://localhost/away"));
  assert.equal(away.status, 303);
  assert.equal(away.headers.get("location"), "http://localhost/plain");
  assert.equal(away.headers.get("cache-control"), "no-store");
});

Deno.test("[fresh] _404 for unknown pages and renderNotFound; _500 for thrown errors", async () => {
  const errors: unknown[] = [];
  const handler = await createHandler(
    manifest({
      "./routes/_404.tsx": { default: (p: PageProps) => h("h1", null, `lost ${p.url.pathname}`) },
      "./routes/_500.tsx": { default: () => h("h1", null, "broken") },
      "./routes/missing.tsx": {
        handler: (_req: Request, ctx: FreshContext) => ctx.renderNotFound(),
      },
      "./routes/boom.tsx": {
        handler: () => {
          throw new Error("secret internals");
        },
      },
    }),
    { onError: (e) => errors.push(e) },
  );
  const unknown = await get(handler, "/nowhere");
  assert.equal(unknown.res.status, 404);
  assert.equal(unknown.text, "<!DOCTYPE html><h1>lost /nowhere</h1>");
  assert.equal((await get(handler, "/missing")).res.status, 404);
  const boom = await get(handler, "/boom");
  assert.equal(boom.res.status, 500);
  assert.equal(boom.text, "<!DOCTYPE html><h1>broken</h1>");
  assert.doesNotMatch(boom.text, /secret/);
  assert.equal((errors[0] as Error).message, "secret internals");
});

Deno.test("[fresh] ctx.renderError: middleware answer with the _500 page, their status and data", async () => {
  const errors: unknown[] = [];
  const handler = await createHandler(
    manifest({
      "./routes/_app.tsx": {
        default: ({ Component }: PageProps) => h("main", null, h(Component, null)),
      },
      "./routes/_500.tsx": {
        default: (p: PageProps) => h("h1", null, p.data ? `refused ${p.data}` : "broken"),
      },
      "./routes/_middleware.ts": {
        handler: (_req: Request, ctx: FreshContext) =>
          ctx.url.pathname === "/locked"
            ? ctx.renderError(403, "locked", { "cache-control": "no-store" })
            : ctx.next(),
      },
      "./routes/locked.tsx": page("locked"),
    }),
    { onError: (e) => errors.push(e) },
  );
  const locked = await get(handler, "/locked");
  assert.equal(locked.res.status, 403);
  assert.equal(locked.res.headers.get("content-type"), "text/html; charset=utf-8");
  assert.equal(locked.res.headers.get("cache-control"), "no-store");
  assert.equal(locked.text, "<!DOCTYPE html><main><h1>refused locked</h1></main>");
  const head = await handler.fetch(new Request("http://localhost/locked", { method: "HEAD" }));
  assert.equal(head.status, 403);
  assert.equal(head.body, null);
  assert.equal(errors.length, 0, "not an unhandled error");
});

Deno.test("[fresh] routeOverride and plugin routes/middlewares", async () => {
  const handler = await createHandler(
    manifest({
      "./routes/custom.tsx": { ...page("custom"), config: { routeOverride: "/c/:code" } },
    }),
    {
      plugins: [{
        name: "p",
        routes: [{ path: "/plugin", handler: () => new Response("from plugin") }],
        middlewares: [{
          path: "/",
          middleware: {
            handler: async (_req, ctx) => {
              const res = await ctx.next();
              res.headers.set("x-plugin", "yes");
              return res;
            },
          },
        }],
      }],
    },
  );
  const custom = await get(handler, "/c/xyz");
  assert.ok(custom.text.includes("custom code=xyz"), custom.text);
  const plugin = await get(handler, "/plugin");
  assert.equal(plugin.text, "from plugin");
  assert.equal(plugin.res.headers.get("x-plugin"), "yes");
});

Deno.test("[fresh] static files: content type, weak ETag, 304, immutable with asset param, no traversal", async () => {
  const handler = await createHandler(manifest({}));
  const first = await get(handler, "/hello.txt");
  assert.equal(first.res.status, 200);
  assert.equal(first.res.headers.get("content-type"), "text/plain; charset=utf-8");
  assert.equal(first.text, "hello static\n");
  const etag = first.res.headers.get("etag")!;
  assert.match(etag, /^W\/"[0-9a-f]+"$/);
  const again = await get(handler, "/hello.txt", { headers: { "if-none-match": etag } });
  assert.equal(again.res.status, 304);
  const cached = await get(handler, "/hello.txt?__frsh_c=abc");
  assert.match(cached.res.headers.get("cache-control")!, /immutable/);
  assert.equal((await get(handler, "/../router_test.ts")).res.status, 404);
  assert.equal((await get(handler, "/%2e%2e/router_test.ts")).res.status, 404);
  assert.equal((await get(handler, "/_fresh/js/unknown/boot.js")).res.status, 404);
});

Deno.test("[fresh] <Head> from a page lands in the document head and its title wins", async () => {
  const { Head } = await import("$fresh/runtime.ts");
  const handler = await createHandler(manifest({
    "./routes/_app.tsx": {
      default: ({ Component }: PageProps) =>
        h(
          "html",
          null,
          h("head", null, h("title", null, "Default")),
          h("body", null, h(Component, null)),
        ),
    },
    "./routes/titled.tsx": {
      default: () =>
        h(
          "main",
          null,
          h(Head, null, h("title", null, "The vault"), h("meta", { name: "x", content: "y" })),
          "hi",
        ),
    },
    "./routes/plain.tsx": page("plain"),
  }));
  const titled = (await get(handler, "/titled")).text;
  assert.equal(
    titled,
    '<!DOCTYPE html><html><head><title>The vault</title><meta name="x" content="y"/></head><body><main>hi</main></body></html>',
  );
  assert.match((await get(handler, "/plain")).text, /<title>Default<\/title>/);
});
