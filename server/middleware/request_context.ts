/**
 * The outermost middleware: request id, dependencies on `ctx.state`, structured access log,
 * metrics, and the mapping of thrown errors to responses.
 */
import type { FreshContext, MiddlewareHandler } from "$fresh/server.ts";
import { DomainError, NotFoundError } from "@/core/errors.ts";
import type { ErrorPageData } from "@/components/ErrorPage.tsx";
import type { AppDeps, AppState } from "@/server/deps.ts";
import { apiErrorResponse, json, statusFor } from "@/server/http/http_errors.ts";
import { describeError } from "@/server/observability/logger.ts";

const INCOMING_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** True for paths answered with JSON rather than HTML. */
export function isApiPath(pathname: string): boolean {
  return pathname === "/api" || pathname.startsWith("/api/");
}

const BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
// Random bytes drawn from the CSPRNG in blocks: one call per 256 ids of 16 bytes instead of one
// per id (two ids per request). Every byte is used once.
const pool = new Uint8Array(4096);
let poolOffset = pool.length;

/** A URL-safe random id: base64url (unpadded) of `bytes` random bytes from the CSPRNG. */
export function randomId(bytes = 16): string {
  if (bytes > pool.length) throw new RangeError(`randomId: at most ${pool.length} bytes`);
  if (poolOffset + bytes > pool.length) {
    crypto.getRandomValues(pool);
    poolOffset = 0;
  }
  let out = "";
  let bits = 0;
  let value = 0;
  for (let i = poolOffset, end = poolOffset + bytes; i < end; i++) {
    value = (value << 8) | pool[i];
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += BASE64URL[(value >> bits) & 63];
    }
    value &= 0xff; // keep only what is left over (< 6 bits) from the current byte
  }
  if (bits > 0) out += BASE64URL[(value << (6 - bits)) & 63];
  poolOffset += bytes;
  return out;
}

/** Metric label for the request: the route pattern, or a fixed name when there is none. */
function routeLabel(ctx: FreshContext): string {
  if (ctx.destination === "route") return ctx.route;
  if (ctx.destination === "notFound") return "(not_found)";
  return ctx.destination === "static" ? "(static)" : "(fresh)";
}

/** Builds the middleware for a set of dependencies. */
export function requestContext(deps: AppDeps): MiddlewareHandler {
  return async (req, ctx) => {
    const started = performance.now();
    const incoming = req.headers.get("x-request-id");
    const requestId = incoming && INCOMING_ID.test(incoming) ? incoming : randomId(12);
    const state = ctx.state as AppState;
    state.deps = deps;
    state.requestId = requestId;
    state.nonce = randomId(16);

    const api = isApiPath(ctx.url.pathname);
    if (api) {
      ctx.renderNotFound = () => {
        throw new NotFoundError("not_found", `No endpoint at ${ctx.url.pathname}.`);
      };
    }
    ctx.responseHeaders.push(["x-request-id", requestId]);
    let response: Response;
    try {
      response = await ctx.next();
      if (api && response.status === 405) response = methodNotAllowed(response, req.method);
    } catch (error) {
      if (api) {
        if (statusFor(error) >= 500) logFailure(deps, error, req, ctx, requestId);
        response = apiErrorResponse(error, requestId);
      } else if (error instanceof NotFoundError) {
        response = await ctx.renderNotFound();
      } else if (error instanceof DomainError && statusFor(error) < 500) {
        const status = statusFor(error);
        const page: ErrorPageData = { kind: "client_error", status, message: error.message };
        response = await ctx.renderError(status, page, { "cache-control": "no-store" });
      } else {
        // Pages: the framework renders the themed `_500` page (it never shows the error) and
        // reports the error through the config's `onError` (`logPageError` below).
        observe(deps, req, ctx, 500, started, requestId);
        throw error;
      }
    }
    observe(deps, req, ctx, response.status, started, requestId);
    // The request id header comes from `ctx.responseHeaders` (set above).
    return response;
  };
}

/** The framework's plain 405 as our JSON error shape, keeping its Allow header. */
function methodNotAllowed(response: Response, method: string): Response {
  const allow = response.headers.get("allow") ?? "";
  return json(
    {
      error: {
        code: "method_not_allowed",
        message: `${method} is not allowed here (allowed: ${allow}).`,
      },
    },
    { status: 405, headers: { allow } },
  );
}

function observe(
  deps: AppDeps,
  req: Request,
  ctx: FreshContext,
  status: number,
  started: number,
  requestId: string,
): void {
  const seconds = (performance.now() - started) / 1000;
  deps.metrics.observeRequest(req.method, routeLabel(ctx), status, seconds);
  if (ctx.destination !== "route" && ctx.destination !== "notFound") return;
  if (deps.logger.enabled?.("info") === false) return;
  deps.logger.log("info", "request", {
    requestId,
    method: req.method,
    path: ctx.url.pathname,
    route: routeLabel(ctx),
    status,
    ms: Math.round(seconds * 10000) / 10,
  });
}

function logFailure(
  deps: AppDeps,
  error: unknown,
  req: Request,
  ctx: FreshContext,
  requestId: string,
): void {
  deps.logger.log("error", "request failed", {
    requestId,
    method: req.method,
    path: ctx.url.pathname,
    ...describeError(error),
  });
}

/** The framework's `onError` hook: logs an error that reached the `_500` page. */
export function logPageError(deps: AppDeps): (error: unknown, ctx: FreshContext) => void {
  return (error, ctx) =>
    logFailure(deps, error, ctx.req, ctx, String((ctx.state as AppState).requestId ?? ""));
}
