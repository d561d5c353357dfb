/**
 * Request body size limits: a declared Content-Length over the limit is refused at once; a
 * streamed body is counted and fails with 413 as soon as it passes the limit.
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { PayloadTooLargeError } from "@/core/errors.ts";

/** A per-path limit: a path prefix, or a pattern the whole path must match. */
export interface BodyLimitOverride {
  prefix: string | RegExp;
  bytes: number;
}

/** Limits request bodies to `defaultBytes`, or to the first matching override's limit. */
export function bodyLimit(
  defaultBytes: number,
  overrides: BodyLimitOverride[] = [],
): MiddlewareHandler {
  const applies = (o: BodyLimitOverride, path: string) =>
    typeof o.prefix === "string" ? path.startsWith(o.prefix) : o.prefix.test(path);
  return (req, ctx) => {
    if (!req.body) return ctx.next();
    const limit = overrides.find((o) => applies(o, ctx.url.pathname))?.bytes ?? defaultBytes;
    const tooLarge = () =>
      new PayloadTooLargeError(
        "body_too_large",
        `The request body exceeds the limit of ${limit} bytes.`,
      );
    const declared = req.headers.get("content-length");
    if (declared !== null && Number(declared) > limit) throw tooLarge();
    let seen = 0;
    const counted = req.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          seen += chunk.byteLength;
          if (seen > limit) controller.error(tooLarge());
          else controller.enqueue(chunk);
        },
      }),
    );
    ctx.req = new Request(req, { body: counted, duplex: "half" } as RequestInit);
    return ctx.next();
  };
}
