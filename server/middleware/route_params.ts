/**
 * Route parameters checked against `server/http/route_params.ts` before any route runs: a
 * malformed id answers 404 (the JSON error for APIs, the not-found page for pages).
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { NotFoundError } from "@/core/errors.ts";
import { validRouteParams } from "@/server/http/route_params.ts";

/** The route parameter middleware. */
export function checkRouteParams(): MiddlewareHandler {
  return (_req, ctx) => {
    if (ctx.destination !== "route" || validRouteParams(ctx.params)) return ctx.next();
    throw new NotFoundError("not_found", `No resource at ${ctx.url.pathname.slice(0, 200)}.`);
  };
}
