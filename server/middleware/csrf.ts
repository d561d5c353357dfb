/**
 * CSRF protection for cookie-authenticated mutations: a non-safe request that carries cookies
 * must come from our own origin (Origin header, or Sec-Fetch-Site: same-origin).
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { ForbiddenError } from "@/core/errors.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/** Rejects cross-site mutations; `publicOrigin` is accepted besides the request's own origin. */
export function csrfProtection(publicOrigin?: string): MiddlewareHandler {
  return (req, ctx) => {
    if (SAFE.has(req.method) || !req.headers.has("cookie")) return ctx.next();
    const origin = req.headers.get("origin");
    const site = req.headers.get("sec-fetch-site");
    const allowed = origin
      ? origin === ctx.url.origin || origin === publicOrigin
      : site === "same-origin";
    if (!allowed) {
      throw new ForbiddenError(
        "csrf_rejected",
        "Cross-site request refused: the request must come from this site.",
      );
    }
    return ctx.next();
  };
}
