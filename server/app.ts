/**
 * App composition: the manifest, the base Fresh config and one plugin that installs the
 * middleware stack with the injected dependencies.
 */
import type { FreshConfig, Plugin } from "$fresh/server.ts";
import { compressionPlugin } from "$fresh/compression.ts";
import { createHandler, type FreshHandler } from "$fresh/server.ts";
import manifest from "@/fresh.gen.ts";
import baseConfig from "@/fresh.config.ts";
import { systemClock } from "@/core/clock.ts";
import { createCache } from "@/core/cache/mod.ts";
import type { FallbackCache } from "@/core/cache/fallback.ts";
import { createWorldIdPortalClient } from "@/core/auth/mod.ts";
import { createObjectStore } from "@/core/storage/mod.ts";
import { createMlPool } from "@/ml-wasm/pool.ts";
import { createVectorStore } from "@/core/discovery/mod.ts";
import { createChainClient, createConfiguredGate, defaultHealthChecks } from "./backends.ts";
import { createPaymentPortal, createTicketChain } from "./ticket_backends.ts";
import { loadConfig } from "@/core/config.ts";
import type { AppDeps } from "./deps.ts";
import { createJsonLogger } from "@/server/observability/logger.ts";
import { Metrics } from "@/server/observability/metrics.ts";
import { logPageError, requestContext } from "@/server/middleware/request_context.ts";
import { securityHeaders } from "@/server/middleware/security_headers.ts";
import { bodyLimit } from "@/server/middleware/body_limit.ts";
import { csrfProtection } from "@/server/middleware/csrf.ts";
import { loadSession } from "@/server/middleware/session.ts";
import { enforceAccess } from "@/server/middleware/access.ts";
import { checkRouteParams } from "@/server/middleware/route_params.ts";
import { askForProfileDetails } from "@/server/middleware/profile_details.ts";
import type { Access } from "@/server/http/access.ts";
import { pageStylesheet, STYLESHEET_HREF, stylesheetCookie } from "@/server/http/stylesheet.ts";
import { MAX_PHOTO_BYTES } from "@/core/profiles/mod.ts";
import { MAX_MEMBER_OBJECT_BYTES } from "@/core/storage/member_objects.ts";
import { LiveStreams } from "@/server/background/event_stream.ts";

/** The dependencies a caller must give; the rest get defaults. */
export type AppDepsInput = Pick<AppDeps, "kv"> & Partial<AppDeps>;

/**
 * Fills in defaults from the config: system clock, JSON logs, metrics, in-process or Redis cache,
 * a viem client for the configured chain, the gate checker, the World ID portal client and the
 * photo core's worker pool (`ml`, started lazily; close it with `deps.ml.close?.()`) and the
 * vector store (embedded, or Qdrant with `QDRANT_URL`).
 */
export function completeDeps(input: AppDepsInput): AppDeps {
  const config = input.config ?? loadConfig({});
  const clock = input.clock ?? systemClock;
  const logger = input.logger ?? createJsonLogger(config.logLevel);
  const cache = input.cache ??
    createCache({
      redisUrl: config.redisUrl,
      clock,
      log: ({ level, event, ...fields }) =>
        logger.log(level, event, { component: "cache", ...fields }),
    });
  const chain = input.chain ?? createChainClient(config.chain);
  const objects = input.objects ?? createObjectStore(config.storage, { clock });
  const vectors = input.vectors ?? createVectorStore(input.kv, config.vectors);
  return {
    metrics: new Metrics(),
    gate: createConfiguredGate(config.chain, chain, cache, clock),
    portal: createWorldIdPortalClient(config.worldId),
    // Workers start on the first photo; whoever owns the deps calls `ml.close()` when done.
    ml: input.ml ?? createMlPool({ size: config.mlWorkers }),
    tickets: input.tickets === undefined ? createTicketChain(config) : input.tickets,
    payments: input.payments ?? createPaymentPortal(config),
    streams: new LiveStreams(),
    ...input,
    clock,
    logger,
    config,
    cache,
    chain,
    objects,
    vectors,
    health: {
      ...defaultHealthChecks(input.kv, cache, chain, objects, config, vectors),
      ...input.health,
    },
  };
}

/** Options of the app beyond its dependencies. */
export interface AppOptions {
  /** Extra access rules by route pattern (tests mount public routes with this). */
  access?: Record<string, Access>;
}

/** Room for the multipart framing around a photo at the size limit. */
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Larger body limits for the upload routes (everything else: `config.maxBodyBytes`). */
export const UPLOAD_BODY_LIMITS = [
  {
    prefix: /^\/api\/profiles\/[^/]+\/photos\/?$/,
    bytes: MAX_PHOTO_BYTES + MULTIPART_OVERHEAD_BYTES,
  },
  { prefix: "/api/storage/", bytes: MAX_MEMBER_OBJECT_BYTES },
  { prefix: "/api/objects/", bytes: MAX_MEMBER_OBJECT_BYTES },
];

/** The plugin that puts the middleware stack in front of every route. */
export function appPlugin(deps: AppDeps, options: AppOptions = {}): Plugin {
  return {
    name: "aurum",
    middlewares: [{
      path: "/",
      middleware: {
        handler: [
          requestContext(deps),
          securityHeaders({ production: deps.config.env === "production" }),
          csrfProtection(deps.config.publicOrigin),
          bodyLimit(deps.config.maxBodyBytes, UPLOAD_BODY_LIMITS),
          loadSession(deps),
          enforceAccess(options.access),
          checkRouteParams(),
          askForProfileDetails(),
        ],
      },
    }],
  };
}

/** The heading font every page uses, preloaded from the response headers. */
const FONT_PRELOAD =
  '</fonts/cinzel-latin-wght-normal.woff2>; rel=preload; as=font; type="font/woff2"; crossorigin';

/**
 * What every page's first paint needs, in the response headers (before the browser parses the
 * head): the stylesheet and the heading font when the page links the stylesheet; nothing when it
 * inlines it (a first visit, server/http/stylesheet.ts), where a preload would only share the slow
 * link with the HTML itself.
 */
export const PAGE_PRELOAD_LINK = `<${STYLESHEET_HREF}>; rel=preload; as=style, ${FONT_PRELOAD}`;

/**
 * Page responses (not `/api`, static files or chunks) get the stylesheet as it should travel
 * (`ctx.state.stylesheet`, which `_app.tsx` renders), the cookie when it is inlined, and the
 * `Link` preload header when it is linked.
 */
export function preloadPlugin(): Plugin {
  return {
    name: "preload",
    middlewares: [{
      path: "/",
      middleware: {
        handler: (req, ctx) => {
          if (
            (ctx.destination === "route" || ctx.destination === "notFound") &&
            (req.method === "GET" || req.method === "HEAD") && !ctx.url.pathname.startsWith("/api/")
          ) {
            const stylesheet = pageStylesheet(req);
            ctx.state.stylesheet = stylesheet;
            if (stylesheet.inline === null) ctx.responseHeaders.push(["link", PAGE_PRELOAD_LINK]);
            else ctx.responseHeaders.push(["set-cookie", stylesheetCookie(ctx.url)]);
          }
          return ctx.next();
        },
      },
    }],
  };
}

/** The full Fresh config for a set of dependencies. */
export function appConfig(
  deps: AppDeps,
  overrides: FreshConfig = {},
  options: AppOptions = {},
): FreshConfig {
  return {
    ...baseConfig,
    ...overrides,
    // Compression first, so that its middleware wraps the whole stack.
    plugins: [
      compressionPlugin(),
      preloadPlugin(),
      appPlugin(deps, options),
      ...(baseConfig.plugins ?? []),
      ...(overrides.plugins ?? []),
    ],
    onError: logPageError(deps),
    server: { port: deps.config.port, hostname: deps.config.hostname, ...overrides.server },
  };
}

/** How long a starting instance waits for its first Redis connection. */
const REDIS_START_WAIT_MS = 2_000;

/** Builds the real app around injected dependencies; tests call `app.fetch(new Request(…))`. */
export async function createApp(
  input: AppDepsInput,
  overrides: FreshConfig = {},
  options: AppOptions = {},
): Promise<FreshHandler & { deps: AppDeps }> {
  const deps = completeDeps(input);
  // With Redis configured, start on it: limits and values are shared from the first request.
  const connected = await (deps.cache as Partial<FallbackCache>).whenPrimaryReady?.(
    REDIS_START_WAIT_MS,
  );
  if (connected === false) {
    deps.logger.log("warn", "cache_primary_not_ready", {
      component: "cache",
      waitedMs: REDIS_START_WAIT_MS,
      note: "starting on the in-process fallback; Redis is retried in the background",
    });
  }
  const handler = await createHandler(manifest, appConfig(deps, overrides, options));
  return { ...handler, deps };
}
