/**
 * Turns the file-based manifest into a ranked route table: Fresh file names → Hono paths,
 * static segments before `[param]` before `[...rest]`, wrappers (`_app`, `_layout`,
 * `_middleware`, `_404`, `_500`) collected per folder.
 */
import type {
  Handler,
  Handlers,
  Manifest,
  MiddlewareHandler,
  RouteConfig,
  RouteModule,
} from "./types.ts";

/** One page or API route. */
export interface RouteEntry {
  /** Manifest key, e.g. `./routes/api/profiles/[id].ts`. */
  file: string;
  /** Fresh-style pattern reported as `ctx.route`, e.g. `/api/profiles/:id`. */
  pattern: string;
  /** Hono paths registered for this route (a catch-all also registers its empty case). */
  honoPaths: string[];
  /** Every parameter the pattern declares; absent ones (empty catch-all, optional) are "". */
  paramNames: string[];
  /** Folder chain from the root, without groups removed: `["", "(auth)", "api"]`. */
  folders: string[];
  component?: RouteModule["default"];
  handler?: Handler | Handlers;
  config: RouteConfig;
  rank: number[];
}

/** A wrapper that applies to a folder and everything under it. */
export interface FolderWrappers {
  middlewares: MiddlewareHandler[];
  layout?: RouteModule["default"];
  layoutConfig?: RouteConfig;
}

export interface RouteTable {
  routes: RouteEntry[];
  /** Keyed by folder path as written in `routes/` (groups kept): "", "api", "(auth)/vault". */
  folders: Map<string, FolderWrappers>;
  app?: RouteModule["default"];
  notFound?: RouteEntry;
  error?: RouteEntry;
}

const SPECIAL = new Set(["_app", "_layout", "_middleware", "_404", "_500"]);

/** Builds the ranked route table from the manifest's `routes` record. */
export function buildRouteTable(manifest: Manifest): RouteTable {
  const table: RouteTable = { routes: [], folders: new Map() };
  for (const [file, mod] of Object.entries(manifest.routes)) {
    const rel = file.replace(/^\.\/routes\//, "").replace(/\.(tsx?|jsx?|mjs)$/, "");
    const parts = rel.split("/");
    const name = parts.pop()!;
    const folder = parts.join("/");
    const module = mod as RouteModule & { handler?: unknown };
    if (SPECIAL.has(name)) {
      addSpecial(table, name, folder, file, module);
      continue;
    }
    const segments = [...parts, name === "index" ? "" : name].filter((s) => !isGroup(s));
    const config = module.config ?? {};
    const { pattern, honoPaths, rank, paramNames } = config.routeOverride
      ? overridePaths(config.routeOverride)
      : toPaths(segments.filter((s) => s !== ""));
    table.routes.push({
      file,
      pattern,
      honoPaths,
      paramNames,
      folders: ["", ...parts],
      component: module.default,
      handler: module.handler as Handler | Handlers | undefined,
      config,
      rank,
    });
  }
  table.routes.sort(compareRoutes);
  return table;
}

function addSpecial(
  table: RouteTable,
  name: string,
  folder: string,
  file: string,
  module: RouteModule,
): void {
  const wrappers = table.folders.get(folder) ?? { middlewares: [] };
  table.folders.set(folder, wrappers);
  switch (name) {
    case "_app":
      table.app = module.default;
      break;
    case "_layout":
      wrappers.layout = module.default;
      wrappers.layoutConfig = module.config;
      break;
    case "_middleware": {
      const handler = (module as unknown as { handler: MiddlewareHandler | MiddlewareHandler[] })
        .handler;
      if (!handler) throw new Error(`${file} must export a middleware \`handler\``);
      wrappers.middlewares.push(...(Array.isArray(handler) ? handler : [handler]));
      break;
    }
    case "_404":
    case "_500": {
      const entry: RouteEntry = {
        file,
        pattern: name === "_404" ? "/_404" : "/_500",
        honoPaths: [],
        paramNames: [],
        folders: [""],
        component: module.default,
        handler: module.handler as Handler | Handlers | undefined,
        config: module.config ?? {},
        rank: [],
      };
      if (name === "_404") table.notFound = entry;
      else table.error = entry;
    }
  }
}

function isGroup(segment: string): boolean {
  return segment.startsWith("(") && segment.endsWith(")");
}

// Segment kinds in match priority order.
const STATIC = 0, PARAM = 1, OPTIONAL = 2, REST = 3;

interface Paths {
  pattern: string;
  honoPaths: string[];
  rank: number[];
  paramNames: string[];
}

function toPaths(segments: string[]): Paths {
  const pattern: string[] = [];
  const hono: string[] = [];
  const rank: number[] = [];
  let restBase: string | null = null;
  for (const segment of segments) {
    const rest = segment.match(/^\[\.\.\.(\w+)\]$/);
    const optional = segment.match(/^\[\[(\w+)\]\]$/);
    const param = segment.match(/^\[(\w+)\]$/);
    if (rest) {
      restBase = "/" + hono.join("/");
      pattern.push(`:${rest[1]}*`);
      hono.push(`:${rest[1]}{.+}`);
      rank.push(REST);
    } else if (optional) {
      pattern.push(`:${optional[1]}?`);
      hono.push(`:${optional[1]}?`);
      rank.push(OPTIONAL);
    } else if (param) {
      pattern.push(`:${param[1]}`);
      hono.push(`:${param[1]}`);
      rank.push(PARAM);
    } else {
      if (segment.includes("[")) throw new Error(`Unsupported route segment "${segment}"`);
      pattern.push(segment);
      hono.push(segment);
      rank.push(STATIC);
    }
  }
  const honoPaths = ["/" + hono.join("/")];
  if (restBase !== null) honoPaths.push(restBase);
  const paramNames = pattern.filter((p) => p.startsWith(":")).map((p) =>
    p.slice(1).replace(/[*?]$/, "")
  );
  return { pattern: "/" + pattern.join("/"), honoPaths, rank, paramNames };
}

function overridePaths(override: string): Paths {
  const segments = override.split("/").filter(Boolean);
  const rank = segments.map((s) =>
    s.endsWith("*") ? REST : s.endsWith("?") ? OPTIONAL : s.startsWith(":") ? PARAM : STATIC
  );
  const honoPaths: string[] = [];
  const hono = segments.map((s) => s.endsWith("*") ? `${s.slice(0, -1)}{.+}` : s);
  honoPaths.push("/" + hono.join("/"));
  if (segments.at(-1)?.endsWith("*")) honoPaths.push("/" + hono.slice(0, -1).join("/"));
  const paramNames = segments.filter((s) => s.startsWith(":")).map((s) =>
    s.slice(1).replace(/[*?]$/, "")
  );
  return { pattern: override, honoPaths, rank, paramNames };
}

/** Static segments win over params, params over optionals, optionals over catch-alls. */
function compareRoutes(a: RouteEntry, b: RouteEntry): number {
  const length = Math.max(a.rank.length, b.rank.length);
  for (let i = 0; i < length; i++) {
    const ra = a.rank[i] ?? -1;
    const rb = b.rank[i] ?? -1;
    if (ra !== rb) {
      // A route that ends here wins over one that continues (e.g. over a catch-all's empty case).
      if (ra === -1) return -1;
      if (rb === -1) return 1;
      return ra - rb;
    }
  }
  return 0;
}

/** The folder chain of a route, each as written in `routes/` ("" is the root). */
export function folderChain(folders: string[]): string[] {
  const chain: string[] = [];
  for (let i = 0; i < folders.length; i++) {
    chain.push(folders.slice(1, i + 1).join("/"));
  }
  return chain;
}
