/** Secure response headers and a Content-Security-Policy whose nonce the page renderer uses. */
import type { MiddlewareHandler } from "$fresh/server.ts";
import type { AppState } from "@/server/deps.ts";

const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self' 'nonce-{nonce}'",
  "style-src 'self' 'nonce-{nonce}'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  // MiniKit looks up the World App username of a wallet after walletAuth.
  "connect-src 'self' https://usernames.worldcoin.org",
  "media-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
];
// The policy split around its nonces once, so each request only joins three pieces with it.
const CSP_PARTS = CSP_DIRECTIVES.join("; ").split("{nonce}");

/** The CSP for a response with the given nonce. */
export function contentSecurityPolicy(nonce: string): string {
  return CSP_PARTS.join(nonce);
}

/**
 * The headers every response gets, built once from the configuration and frozen; HSTS only in
 * production (it pins HTTPS).
 */
function commonHeaders(production: boolean): readonly (readonly [string, string])[] {
  const headers: [string, string][] = [
    ["x-content-type-options", "nosniff"],
    ["referrer-policy", "strict-origin-when-cross-origin"],
    ["x-frame-options", "DENY"],
    ["cross-origin-opener-policy", "same-origin"],
    ["cross-origin-resource-policy", "same-origin"],
    ["permissions-policy", "camera=(self), microphone=(), geolocation=(), payment=()"],
  ];
  if (production) {
    headers.push(["strict-transport-security", "max-age=63072000; includeSubDomains"]);
  }
  return Object.freeze(headers.map((pair) => Object.freeze(pair)));
}

/**
 * Adds the headers to every response: pages get them when the framework builds them, other
 * responses (JSON, files, redirects) when the middleware chain returns (`ctx.responseHeaders`).
 * The CSP is on every response; for JSON it is inert and still forbids framing.
 */
export function securityHeaders(options: { production: boolean }): MiddlewareHandler {
  const common = commonHeaders(options.production);
  return (_req, ctx) => {
    const nonce = (ctx.state as AppState).nonce;
    const headers = ctx.responseHeaders;
    for (let i = 0; i < common.length; i++) headers.push(common[i]);
    headers.push(["content-security-policy", contentSecurityPolicy(nonce)]);
    return ctx.next();
  };
}
