/**
 * The request pipeline: Hono matches the ranked routes, then each request runs its folder
 * middlewares (Fresh's `ctx.next()` chain) around a handler or a page render.
 */
import { Hono } from "hono";
import type { Context as HonoContext } from "hono";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type {
  Destination,
  FreshConfig,
  FreshContext,
  Handler,
  Handlers,
  KnownMethod,
  Manifest,
  MiddlewareHandler,
  RenderOptions,
  ResolvedFreshConfig,
} from "./types.ts";
import { buildRouteTable, folderChain, type RouteEntry } from "./routes.ts";
import { StaticFiles } from "./static.ts";
import { type RenderEnv, renderRoute } from "./render.ts";
import { collectIslands } from "./islands/registry.ts";
import { buildIslands, type BuildResult, islandAssets, readBuild } from "./build.ts";
import { BUILD_PATH_PREFIX, serveBuildFile } from "./build_serving.ts";
import { withResponseHeaders } from "./response_headers.ts";

const METHODS: KnownMethod[] = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];
const LOOPBACK: Deno.NetAddr = { transport: "tcp", hostname: "127.0.0.1", port: 0 };

/** A request handler built from a manifest: what `start` serves and what tests call. */
export interface FreshHandler {
  fetch(req: Request, info?: Deno.ServeHandlerInfo): Promise<Response>;
  config: ResolvedFreshConfig;
  build: BuildResult | null;
}

/** Resolves defaults relative to the folder that holds the manifest. */
export function resolveConfig(manifest: Manifest, config: FreshConfig = {}): ResolvedFreshConfig {
  const root = manifest.baseUrl.startsWith("file:")
    ? dirname(fileURLToPath(manifest.baseUrl))
    : manifest.baseUrl;
  return {
    root,
    staticDir: config.staticDir ?? join(root, "static"),
    outDir: config.build?.outDir ?? join(root, "_fresh"),
    dev: config.dev ?? false,
    plugins: config.plugins ?? [],
    onError: config.onError ?? logUnhandled,
    server: {
      port: config.server?.port ?? 8000,
      hostname: config.server?.hostname ?? "0.0.0.0",
      signal: config.server?.signal,
    },
  };
}

/** Builds the handler: route table, middleware chains, static files and island bundles. */
export async function createHandler(
  manifest: Manifest,
  config: FreshConfig = {},
): Promise<FreshHandler> {
  const resolved = resolveConfig(manifest, config);
  const table = buildRouteTable(withPlugins(manifest, resolved));
  const registry = collectIslands(manifest.islands);
  const build = await loadIslandBuild(manifest, resolved);
  const env: RenderEnv = { table, registry, assets: build ? islandAssets(build) : null };
  const statics = new StaticFiles(resolved.staticDir, resolved.dev);
  await statics.index();
  const pipeline = new Pipeline(env, resolved, pluginMiddlewares(resolved));

  const app = new Hono<{ Variables: { url: URL } }>();
  app.all("*", async (c, next) => {
    const url = new URL(c.req.url);
    if (url.pathname.startsWith(BUILD_PATH_PREFIX)) {
      return await pipeline.run(
        c,
        url,
        {},
        "internal",
        () => serveBuildFile(c.req.raw, url, build),
      );
    }
    if (c.req.method === "GET" || c.req.method === "HEAD") {
      // Production answers from the folder index without a promise; dev asks the file system.
      const known = statics.knows(url.pathname) ?? await statics.has(url.pathname);
      if (known) {
        return await pipeline.run(c, url, {}, "static", () => statics.serve(c.req.raw, url));
      }
    }
    c.set("url", url); // parsed once per request
    await next();
  });
  for (const route of table.routes) {
    for (const path of route.honoPaths) {
      app.all(path, (c) => pipeline.runRoute(c, route));
    }
  }
  app.notFound((c) => pipeline.runNotFound(c));

  return {
    config: resolved,
    build,
    fetch: (req, info) =>
      Promise.resolve(app.fetch(req, { remoteAddr: info?.remoteAddr ?? LOOPBACK })),
  };
}

async function loadIslandBuild(
  manifest: Manifest,
  config: ResolvedFreshConfig,
): Promise<BuildResult | null> {
  const islandFiles = Object.keys(manifest.islands);
  if (islandFiles.length === 0) return null;
  if (!config.dev) {
    const prebuilt = await readBuild(config.outDir);
    if (prebuilt) return prebuilt;
    console.warn(JSON.stringify({
      level: "warn",
      msg: `no prebuilt islands in ${config.outDir}; bundling at start (run \`deno task build\`)`,
    }));
  }
  return await buildIslands({ root: config.root, islandFiles });
}

/** Plugin routes join the manifest as if they were files under `routes/`. */
function withPlugins(manifest: Manifest, config: ResolvedFreshConfig): Manifest {
  const routes = { ...manifest.routes };
  for (const plugin of config.plugins) {
    for (const route of plugin.routes ?? []) {
      const file = `./routes${route.path === "/" ? "/index" : route.path}.tsx`;
      routes[file] = { default: route.component, handler: route.handler };
    }
  }
  return { ...manifest, routes };
}

interface ScopedMiddleware {
  folder: string;
  handlers: MiddlewareHandler[];
}

function pluginMiddlewares(config: ResolvedFreshConfig): ScopedMiddleware[] {
  return config.plugins.flatMap((plugin) =>
    (plugin.middlewares ?? []).map((m) => ({
      folder: m.path.replace(/^\/|\/$/g, ""),
      handlers: Array.isArray(m.middleware.handler) ? m.middleware.handler : [m.middleware.handler],
    }))
  );
}

class Pipeline {
  constructor(
    private env: RenderEnv,
    private config: ResolvedFreshConfig,
    private plugins: ScopedMiddleware[],
  ) {}

  #byRoute = new Map<RouteEntry, MiddlewareHandler[]>();

  /** Middlewares for a matched route: plugins and `_middleware` files of its folder chain. */
  #routeMiddlewares(route: RouteEntry): MiddlewareHandler[] {
    let cached = this.#byRoute.get(route);
    if (!cached) this.#byRoute.set(route, cached = this.#collectRouteMiddlewares(route));
    return cached;
  }

  #collectRouteMiddlewares(route: RouteEntry): MiddlewareHandler[] {
    const chain = folderChain(route.folders);
    const out: MiddlewareHandler[] = [];
    for (const folder of chain) {
      const urlFolder = folder.split("/").filter((s) => !/^\(.*\)$/.test(s)).join("/");
      for (const p of this.plugins) if (p.folder === urlFolder) out.push(...p.handlers);
      out.push(...(this.env.table.folders.get(folder)?.middlewares ?? []));
    }
    return out;
  }

  /** Middlewares for a URL that matched no route: those whose folder is a static prefix of it. */
  #urlMiddlewares(pathname: string): MiddlewareHandler[] {
    const out: MiddlewareHandler[] = [];
    const applies = (folder: string) =>
      folder === "" || pathname === `/${folder}` || pathname.startsWith(`/${folder}/`);
    for (const p of this.plugins) if (applies(p.folder)) out.push(...p.handlers);
    for (const [folder, wrappers] of this.env.table.folders) {
      if (!/[\[(]/.test(folder) && applies(folder)) out.push(...wrappers.middlewares);
    }
    return out;
  }

  run(
    c: HonoContext,
    url: URL,
    params: Record<string, string>,
    destination: Destination,
    final: (ctx: FreshContext) => Response | Promise<Response>,
    middlewares = this.#urlMiddlewares(url.pathname),
    route = url.pathname,
  ): Promise<Response> {
    const ctx = this.#context(c, url, params, destination, route);
    return this.#chain(ctx, middlewares, final);
  }

  runRoute(c: HonoContext, route: RouteEntry): Promise<Response> {
    const url = (c.get("url") as URL | undefined) ?? new URL(c.req.url);
    const params = normalizeParams(route.paramNames, c.req.param() as Record<string, string>);
    return this.run(
      c,
      url,
      params,
      "route",
      (ctx) => this.#callRoute(route, ctx),
      this.#routeMiddlewares(route),
      route.pattern,
    );
  }

  runNotFound(c: HonoContext): Promise<Response> {
    const url = (c.get("url") as URL | undefined) ?? new URL(c.req.url);
    return this.run(c, url, {}, "notFound", (ctx) => ctx.renderNotFound());
  }

  async #chain(
    ctx: FreshContext,
    middlewares: MiddlewareHandler[],
    final: (ctx: FreshContext) => Response | Promise<Response>,
  ): Promise<Response> {
    let index = 0;
    const next = async (): Promise<Response> => {
      const middleware = middlewares[index++];
      if (middleware) return await middleware(ctx.req, ctx);
      return await final(ctx);
    };
    ctx.next = next;
    let response: Response;
    try {
      response = await next();
    } catch (error) {
      response = await this.#renderError(ctx, error);
    }
    return withResponseHeaders(response, ctx.responseHeaders);
  }

  #context(
    c: HonoContext,
    url: URL,
    params: Record<string, string>,
    destination: Destination,
    route: string,
  ): FreshContext {
    const env = c.env as { remoteAddr?: Deno.NetAddr } | undefined;
    const ctx: FreshContext = {
      req: c.req.raw,
      url,
      params,
      state: {},
      data: undefined,
      route,
      basePath: "",
      destination,
      remoteAddr: env?.remoteAddr ?? LOOPBACK,
      isPartial: false,
      responseHeaders: [],
      config: this.config,
      Component: () => null,
      render: () => Promise.reject(new Error("ctx.render() is only available in route handlers")),
      renderNotFound: (data) => this.#renderNotFound(ctx, data),
      renderError: (status, data, headers) => this.#renderErrorPage(ctx, status, data, headers),
      next: () => Promise.reject(new Error("ctx.next() is only available in middleware")),
    };
    return ctx;
  }

  async #callRoute(route: RouteEntry, ctx: FreshContext): Promise<Response> {
    const req = ctx.req;
    ctx.render = (data, options) => this.#renderPage(route, ctx, data, options);
    const method = req.method.toUpperCase() as KnownMethod;
    const handler = pickHandler(route, method);
    if (!handler) {
      const allow = METHODS.filter((m) => pickHandler(route, m)).join(", ");
      return new Response("Method Not Allowed", { status: 405, headers: { allow } });
    }
    const response = await handler(ctx.req, ctx);
    return method === "HEAD" && response.body
      ? new Response(null, { status: response.status, headers: response.headers })
      : response;
  }

  #renderPage(
    route: RouteEntry,
    ctx: FreshContext,
    data: unknown,
    options: RenderOptions = {},
  ): Promise<Response> {
    ctx.data = data;
    return renderRoute(this.env, route, ctx.req, ctx, options.status ?? 200, options.headers);
  }

  async #renderNotFound(ctx: FreshContext, data?: unknown): Promise<Response> {
    const page = this.env.table.notFound;
    if (!page?.component) return new Response("Not Found", { status: 404 });
    ctx.data = data;
    return await renderRoute(this.env, page, ctx.req, ctx, 404);
  }

  /** `ctx.renderError`: the `_500` page with the caller's status and data (no thrown error). */
  async #renderErrorPage(
    ctx: FreshContext,
    status: number,
    data: unknown,
    headers?: HeadersInit,
  ): Promise<Response> {
    const page = this.env.table.error;
    if (!page?.component) return new Response(null, { status, headers });
    ctx.data = data;
    const response = await renderRoute(this.env, page, ctx.req, ctx, status, headers);
    return ctx.req.method === "HEAD" && response.body
      ? new Response(null, { status: response.status, headers: response.headers })
      : response;
  }

  async #renderError(ctx: FreshContext, error: unknown): Promise<Response> {
    this.config.onError(error, ctx);
    const page = this.env.table.error;
    const fallback = () => new Response("Internal Server Error", { status: 500 });
    if (!page?.component) return fallback();
    ctx.error = error;
    ctx.data = undefined;
    try {
      return await renderRoute(this.env, page, ctx.req, ctx, 500);
    } catch {
      return fallback();
    }
  }
}

function logUnhandled(error: unknown, ctx: FreshContext): void {
  console.error(JSON.stringify({
    level: "error",
    msg: "unhandled error",
    path: ctx.url.pathname,
    error: error instanceof Error ? (error.stack ?? error.message) : String(error),
  }));
}

/** The function that answers `method` on `route`, if any (HEAD falls back to GET). */
function pickHandler(route: RouteEntry, method: KnownMethod): Handler | undefined {
  const { handler, component } = route;
  if (typeof handler === "function") return handler;
  const handlers = handler as Handlers | undefined;
  const found = handlers?.[method] ?? (method === "HEAD" ? handlers?.GET : undefined);
  if (found) return found;
  if (component && (method === "GET" || method === "HEAD")) return (_req, ctx) => ctx.render();
  return undefined;
}

/** Hono leaves an absent optional or empty catch-all param out; Fresh gives "". */
function normalizeParams(
  names: string[],
  params: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) out[name] = params[name] ?? "";
  return out;
}
