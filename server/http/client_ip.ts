/** The client's IP address, for rate limits and salted hashes. */
import type { FreshContext } from "$fresh/server.ts";

/** `X-Forwarded-For`'s first hop when the proxy is trusted, else the socket's peer address. */
export function clientIp(req: Request, ctx: FreshContext, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    if (forwarded) return forwarded;
  }
  return ctx.remoteAddr.hostname;
}
