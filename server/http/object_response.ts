/**
 * Object bytes as an HTTP response: ETag and `If-None-Match` (304), a single `Range: bytes=a-b`
 * (206 with `Content-Range`; anything else is served whole, as RFC 9110 allows), length and type.
 */
import type { ByteRange, GetResult } from "@/core/storage/types.ts";

const SINGLE_RANGE = /^bytes=(\d{1,15})-(\d{0,15})$/;

/** The byte range a request asks for, when it is one simple range (and no `If-Range`). */
export function requestedRange(req: Request): ByteRange | undefined {
  const header = req.headers.get("range");
  if (!header || req.headers.has("if-range")) return undefined;
  const match = SINGLE_RANGE.exec(header.trim());
  if (!match) return undefined;
  const start = Number(match[1]);
  const end = match[2] === "" ? undefined : Number(match[2]);
  if (end !== undefined && end < start) return undefined;
  return { start, end };
}

function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  return header.split(",").map((tag) => tag.trim().replace(/^W\//, "")).some((tag) =>
    tag === "*" || tag === etag
  );
}

/** Options of {@link objectResponse}. */
export interface ObjectResponseOptions {
  cacheControl: string;
  headers?: Record<string, string>;
}

/** Streams `object` (or answers 304 when the client's copy is current, cancelling the body). */
export async function objectResponse(
  req: Request,
  object: GetResult,
  options: ObjectResponseOptions,
): Promise<Response> {
  const etag = `"${object.etag}"`;
  const headers = new Headers(options.headers);
  headers.set("etag", etag);
  headers.set("cache-control", options.cacheControl);
  headers.set("last-modified", new Date(object.lastModified).toUTCString());
  if (etagMatches(req.headers.get("if-none-match"), etag)) {
    await object.body.cancel();
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-type", object.contentType);
  headers.set("accept-ranges", "bytes");
  headers.set("x-content-type-options", "nosniff");
  if (object.range) {
    const { start, end } = object.range;
    headers.set("content-range", `bytes ${start}-${end}/${object.size}`);
    headers.set("content-length", String(end - start + 1));
    return new Response(object.body, { status: 206, headers });
  }
  headers.set("content-length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}
