/** Secure response headers and a Content-Security-Policy whose nonce the page renderer uses. */
import type { MiddlewareHandler } from "$fresh/server.ts";
import type { AppState } from "../deps.ts";

/** The CSP for a response with the given nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data: blob:",
    "font-src 'self'",
    // MiniKit looks up the World App username of a wallet after walletAuth.
    "connect-src 'self' https://usernames.worldcoin.org",
    "media-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

function apply(headers: Headers, nonce: string, production: boolean): void {
  const set = (name: string, value: string) => {
    if (!headers.has(name)) headers.set(name, value);
  };
  set("x-content-type-options", "nosniff");
  set("referrer-policy", "strict-origin-when-cross-origin");
  set("x-frame-options", "DENY");
  set("cross-origin-opener-policy", "same-origin");
  set("cross-origin-resource-policy", "same-origin");
  set("permissions-policy", "camera=(self), microphone=(), geolocation=(), payment=()");
  if (production) set("strict-transport-security", "max-age=63072000; includeSubDomains");
  if ((headers.get("content-type") ?? "").startsWith("text/html")) {
    set("content-security-policy", contentSecurityPolicy(nonce));
  }
}

/** Adds the headers to every response; HSTS only in production (it pins HTTPS). */
export function securityHeaders(options: { production: boolean }): MiddlewareHandler {
  return async (_req, ctx) => {
    const response = await ctx.next();
    const nonce = (ctx.state as AppState).nonce;
    try {
      apply(response.headers, nonce, options.production);
      return response;
    } catch {
      // Immutable headers (e.g. from Response.redirect or fetch): copy once, then set.
      const copy = new Response(response.body, response);
      apply(copy.headers, nonce, options.production);
      return copy;
    }
  };
}
