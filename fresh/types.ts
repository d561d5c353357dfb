/**
 * The public types of our Fresh-1.x-compatible layer. Application code imports them through
 * `$fresh/server.ts`, exactly as it would from Fresh 1.x.
 */
import type { ComponentChildren, ComponentType, VNode } from "preact";

/** The HTTP methods a route module may export handlers for. */
export type KnownMethod = "GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS";

/** Where the request was routed: a page or API route, a static file, a framework asset, or nowhere. */
export type Destination = "internal" | "static" | "route" | "notFound";

/** Options for `ctx.render`. */
export interface RenderOptions {
  status?: number;
  statusText?: string;
  headers?: HeadersInit;
}

/** The context every handler, middleware, page, layout and app wrapper receives. */
export interface FreshContext<State = Record<string, unknown>, Data = unknown> {
  req: Request;
  url: URL;
  /** Route parameters: `[id]` → `params.id`, `[...rest]` → `params.rest` ("" when empty). */
  params: Record<string, string>;
  /** Filled by middleware, shared by everything down the chain for this request. */
  state: State;
  data: Data;
  /** The pattern of the matched route, e.g. `/api/profiles/:id`. */
  route: string;
  basePath: string;
  destination: Destination;
  remoteAddr: Deno.NetAddr;
  /** Set when rendering `_500` for a thrown error. */
  error?: unknown;
  isPartial: boolean;
  config: ResolvedFreshConfig;
  /** Renders the route's page component with `data` (as `props.data`). */
  render(data?: Data, options?: RenderOptions): Promise<Response>;
  /** Renders the nearest `_404` page with status 404. */
  renderNotFound(data?: Data): Promise<Response>;
  /**
   * Extension (not in Fresh 1.x): renders the `_500` error page with `status` and `data` (as
   * `props.data`, no `props.error`), so middleware can answer with the themed error page. HEAD
   * gets the headers without the body.
   */
  renderError(status: number, data?: Data, headers?: HeadersInit): Promise<Response>;
  /** In middleware: runs the rest of the chain. */
  next(): Promise<Response>;
  /** The component the wrapper (`_app`, `_layout`) must render. */
  Component: ComponentType<Record<never, never>>;
  /**
   * Extension (not in Fresh 1.x): headers for every response of this request. Middleware add
   * theirs before `ctx.next()`. Pages the framework renders (routes, `_404`, `_500`) are built
   * with them, under the page's own `ctx.render(data, { headers })`; any other response gets the
   * ones it lacks when the middleware chain returns. Touching a built Response's headers makes
   * Deno encode its body a second time, which this spares rendered pages.
   */
  responseHeaders: (readonly [name: string, value: string])[];
}

export type HandlerContext<Data = unknown, State = Record<string, unknown>> = FreshContext<
  State,
  Data
>;
export type MiddlewareHandlerContext<State = Record<string, unknown>> = FreshContext<State>;

/** Props a page, `_app` or `_layout` component receives. */
export type PageProps<Data = unknown, State = Record<string, unknown>> = Omit<
  FreshContext<State, Data>,
  "render" | "next" | "renderNotFound" | "renderError" | "responseHeaders"
>;
export type AppProps<Data = unknown, State = Record<string, unknown>> = PageProps<Data, State>;
export type LayoutProps<Data = unknown, State = Record<string, unknown>> = PageProps<Data, State>;
export type UnknownPageProps<Data = unknown, State = Record<string, unknown>> = PageProps<
  Data,
  State
>;
export type ErrorPageProps<Data = unknown, State = Record<string, unknown>> =
  & PageProps<Data, State>
  & { error: unknown };

export type Handler<Data = unknown, State = Record<string, unknown>> = (
  req: Request,
  ctx: FreshContext<State, Data>,
) => Response | Promise<Response>;

export type Handlers<Data = unknown, State = Record<string, unknown>> = {
  [K in KnownMethod]?: Handler<Data, State>;
};

export type MiddlewareHandler<State = Record<string, unknown>> = (
  req: Request,
  ctx: FreshContext<State>,
) => Response | Promise<Response>;

/** A route module's optional `config` export. */
export interface RouteConfig {
  /** A URLPattern-style path that replaces the one derived from the file name. */
  routeOverride?: string;
  skipAppWrapper?: boolean;
  skipInheritedLayouts?: boolean;
}

/** A page, layout or app component that may be async and may return a Response. */
export type AsyncComponent<Props> = (
  req: Request,
  ctx: FreshContext,
) => ComponentChildren | Response | Promise<ComponentChildren | Response>;

export interface RouteModule {
  default?: ComponentType<PageProps> | AsyncComponent<PageProps>;
  handler?: Handler | Handlers;
  config?: RouteConfig;
}

export interface MiddlewareModule {
  handler: MiddlewareHandler | MiddlewareHandler[];
}

/** The generated `fresh.gen.ts` manifest. */
export interface Manifest {
  routes: Record<string, Record<string, unknown>>;
  islands: Record<string, Record<string, unknown>>;
  baseUrl: string;
}

export interface PluginMiddleware<State = Record<string, unknown>> {
  /** Folder-style path the middleware applies under, e.g. "/" or "/api". */
  path: string;
  middleware: { handler: MiddlewareHandler<State> | MiddlewareHandler<State>[] };
}

export interface PluginRoute {
  path: string;
  component?: ComponentType<PageProps>;
  handler?: Handler | Handlers;
}

export interface Plugin {
  name: string;
  middlewares?: PluginMiddleware[];
  routes?: PluginRoute[];
}

export interface FreshConfig {
  plugins?: Plugin[];
  build?: {
    /** Where `deno task build` writes the island bundles. Default `<root>/_fresh`. */
    outDir?: string;
  };
  server?: { port?: number; hostname?: string; signal?: AbortSignal };
  staticDir?: string;
  /** Development mode: bundles are built in memory at start and rebuilt on change. */
  dev?: boolean;
  /**
   * Called with an error no middleware handled, before the `_500` page renders (our extension;
   * default: a JSON line on stderr).
   */
  onError?: (error: unknown, ctx: FreshContext) => void;
}

export interface ResolvedFreshConfig {
  root: string;
  staticDir: string;
  outDir: string;
  dev: boolean;
  plugins: Plugin[];
  onError: (error: unknown, ctx: FreshContext) => void;
  server: { port: number; hostname: string; signal?: AbortSignal };
}

export type { VNode };
