/**
 * Request body size limits: a declared Content-Length over the limit is refused at once; a
 * streamed body is counted and fails with 413 as soon as it passes the limit.
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { PayloadTooLargeError } from "../../core/errors.ts";

/** Limits request bodies to `defaultBytes`, or to a larger limit for listed path prefixes. */
export function bodyLimit(
  defaultBytes: number,
  overrides: { prefix: string; bytes: number }[] = [],
): MiddlewareHandler {
  return (req, ctx) => {
    if (!req.body) return ctx.next();
    const limit = overrides.find((o) => ctx.url.pathname.startsWith(o.prefix))?.bytes ??
      defaultBytes;
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
