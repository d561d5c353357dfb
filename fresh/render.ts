/**
 * Renders a route's page inside its layouts and the `_app` wrapper, resolving async route
 * components first, then hands the whole document to the island renderer.
 */
import { type ComponentChildren, type ComponentType, h } from "preact";
import type { FreshContext, RouteModule } from "./types.ts";
import type { RouteEntry, RouteTable } from "./routes.ts";
import { folderChain } from "./routes.ts";
import { type IslandAssets, renderPage } from "./islands/render.ts";
import type { IslandRegistry } from "./islands/registry.ts";
import { newPageResponse } from "./response_headers.ts";

const ROUTE_COMPONENT = Symbol.for("fresh.routeComponent");

type AnyComponent = NonNullable<RouteModule["default"]>;
type RouteFunction = (req: Request, ctx: FreshContext) => unknown;

/** Marks a function as a `(req, ctx)` route component (what `defineRoute` & co. return). */
export function markRouteComponent<T extends object>(fn: T): T {
  Object.defineProperty(fn, ROUTE_COMPONENT, { value: true });
  return fn;
}

function isRouteFunction(fn: unknown): fn is RouteFunction {
  return typeof fn === "function" &&
    ((fn as unknown as Record<symbol, unknown>)[ROUTE_COMPONENT] === true ||
      fn.constructor.name === "AsyncFunction");
}

/** What the renderer needs besides the request. */
export interface RenderEnv {
  table: RouteTable;
  registry: IslandRegistry;
  assets: IslandAssets | null;
}

/** Renders `route` (a page, `_404` or `_500`) with `ctx.data` set, or returns the Response a route component returned. */
export async function renderRoute(
  env: RenderEnv,
  route: RouteEntry,
  req: Request,
  ctx: FreshContext,
  status: number,
  headers?: HeadersInit,
): Promise<Response> {
  if (!route.component) throw new Error(`${route.file} has no default export to render`);
  let layers = layerCache.get(route);
  if (!layers) layerCache.set(route, layers = wrapperLayers(env.table, route));
  const page = await resolveLayer(route.component, req, ctx, () => null);
  if (page instanceof Response) return page;
  let inner: ComponentType = page;
  for (const layer of layers) {
    const resolved = await resolveLayer(layer, req, ctx, inner);
    if (resolved instanceof Response) return resolved;
    inner = resolved;
  }
  const nonce = typeof (ctx.state as Record<string, unknown>).nonce === "string"
    ? (ctx.state as Record<string, string>).nonce
    : crypto.randomUUID().replaceAll("-", "");
  const { html, preloadUrls } = renderPage(h(inner, {}), {
    registry: env.registry,
    assets: env.assets,
    nonce,
  });
  return newPageResponse(html, status, ctx.responseHeaders, headers, preloadUrls);
}

// The wrappers of a route never change after start: computed once per route.
const layerCache = new WeakMap<RouteEntry, AnyComponent[]>();

/** Layouts from the innermost folder outwards, then `_app`, honouring the skip options. */
function wrapperLayers(table: RouteTable, route: RouteEntry): AnyComponent[] {
  const layers: AnyComponent[] = [];
  let skipApp = route.config.skipAppWrapper === true;
  if (!route.config.skipInheritedLayouts) {
    for (const folder of folderChain(route.folders).reverse()) {
      const wrappers = table.folders.get(folder);
      if (!wrappers?.layout) continue;
      layers.push(wrappers.layout);
      if (wrappers.layoutConfig?.skipAppWrapper) skipApp = true;
      if (wrappers.layoutConfig?.skipInheritedLayouts) break;
    }
  }
  if (table.app && !skipApp) layers.push(table.app);
  return layers;
}

/** Turns one layer into a plain component that renders it around `Inner`. */
async function resolveLayer(
  component: AnyComponent,
  req: Request,
  ctx: FreshContext,
  Inner: ComponentType,
): Promise<ComponentType | Response> {
  if (isRouteFunction(component)) {
    const out = await component(req, { ...ctx, Component: Inner } as FreshContext);
    if (out instanceof Response) return out;
    return () => out as ComponentChildren;
  }
  const props = pageProps(ctx, Inner);
  const Component = component as ComponentType<Record<string, unknown>>;
  return () => h(Component, props);
}

/** The props a page, layout or app component receives: the context without its functions. */
export function pageProps(
  ctx: FreshContext,
  Component: FreshContext["Component"] = ctx.Component,
): Record<string, unknown> {
  return {
    url: ctx.url,
    params: ctx.params,
    state: ctx.state,
    data: ctx.data,
    route: ctx.route,
    basePath: ctx.basePath,
    destination: ctx.destination,
    remoteAddr: ctx.remoteAddr,
    error: ctx.error,
    isPartial: ctx.isPartial,
    config: ctx.config,
    Component,
  };
}
