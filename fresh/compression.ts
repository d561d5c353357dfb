/**
 * Response compression: brotli or gzip chosen from `Accept-Encoding` (q-values honoured).
 * Static files and island chunks are compressed once per encoding and kept in memory (see
 * `static.ts`, `build_serving.ts`); pages and other text responses are compressed on the fly by
 * {@link compressionPlugin} when they are large enough to pay for it.
 *
 * Levels, measured here on a 7.6 KB landing page and the 51 KB stylesheet (one loaded 2-core
 * machine): on the fly, brotli quality 4 (~0.3 ms for the page, 27 % of its size; gzip level 6:
 * ~0.06 ms, 28 %); once per file, brotli 5 and gzip 9 (styles.css: ~3 ms and ~1 ms, 21 % and 22 %;
 * brotli 11 saves another 8–12 % but costs 0.3–1 s per large file, on the event loop in Deno).
 */
import zlib from "node:zlib";
import type { Plugin } from "./types.ts";

/** A content coding this server produces. */
export type Encoding = "br" | "gzip";

/** Bodies below this many bytes are sent as they are: the saving does not pay for the CPU. */
export const MIN_COMPRESS_BYTES = 1024;

/** Brotli quality for responses compressed on every request. */
export const DYNAMIC_BROTLI_QUALITY = 4;
/** Gzip level for responses compressed on every request. */
export const DYNAMIC_GZIP_LEVEL = 6;
/** Brotli quality for files compressed once and cached. */
export const STATIC_BROTLI_QUALITY = 5;
/** Gzip level for files compressed once and cached. */
export const STATIC_GZIP_LEVEL = 9;

/**
 * The coding to answer with for an `Accept-Encoding` header, or null for identity: the acceptable
 * coding (q > 0) with the highest q, brotli on a tie; `*` stands for any coding not listed.
 */
export function negotiateEncoding(header: string | null): Encoding | null {
  if (!header) return null;
  const q: Record<string, number> = {};
  for (const part of header.split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    if (!name) continue;
    let weight = 1;
    for (const param of params) {
      const [key, value] = param.trim().split("=");
      if (key === "q") {
        const parsed = Number(value);
        weight = Number.isFinite(parsed) ? Math.min(1, Math.max(0, parsed)) : 0;
      }
    }
    q[name.trim()] = weight;
  }
  const weightOf = (coding: string) => q[coding] ?? q["*"] ?? 0;
  const br = weightOf("br"), gzip = weightOf("gzip") || (q["x-gzip"] ?? 0);
  if (br <= 0 && gzip <= 0) return null;
  return br >= gzip ? "br" : "gzip";
}

/** True for content types worth compressing (text, JSON, JavaScript, SVG); never event streams. */
export function isCompressibleType(contentType: string | null): boolean {
  if (!contentType) return false;
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (type === "text/event-stream") return false;
  return type.startsWith("text/") || type === "application/json" ||
    type === "application/javascript" || type === "image/svg+xml" ||
    type === "application/manifest+json" || type.endsWith("+json") || type.endsWith("+xml");
}

/** Compresses `body` with `encoding`, at the cached-file or the per-request level. */
export function compress(
  body: Uint8Array,
  encoding: Encoding,
  mode: "static" | "dynamic",
): Uint8Array<ArrayBuffer> {
  const out = encoding === "br"
    ? zlib.brotliCompressSync(body, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: mode === "static"
          ? STATIC_BROTLI_QUALITY
          : DYNAMIC_BROTLI_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.byteLength,
      },
    })
    : zlib.gzipSync(body, { level: mode === "static" ? STATIC_GZIP_LEVEL : DYNAMIC_GZIP_LEVEL });
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength) as Uint8Array<ArrayBuffer>;
}

/** The ETag of an encoded variant: the identity ETag's tag with `-<encoding>`, always weak. */
export function variantEtag(etag: string, encoding: Encoding | null): string {
  if (!encoding) return etag;
  const bare = etag.replace(/^W\//, "").replace(/^"|"$/g, "");
  return `W/"${bare}-${encoding}"`;
}

/** Adds `Accept-Encoding` to a response's `Vary` unless it is there (or `*`). */
export function addVary(headers: Headers): void {
  const vary = headers.get("vary");
  if (!vary) headers.set("vary", "Accept-Encoding");
  else if (!/(^|,)\s*(accept-encoding|\*)\s*(,|$)/i.test(vary)) {
    headers.set("vary", `${vary}, Accept-Encoding`);
  }
}

/**
 * Compresses a response on the fly when the client accepts it and it pays: a 200 with a body of a
 * compressible type, at least {@link MIN_COMPRESS_BYTES}, not encoded yet, no `no-transform`, and
 * no Range asked (a range of a body made afresh on each request could not be stitched together).
 * Any other response of a compressible type still gets `Vary: Accept-Encoding`.
 */
export async function compressResponse(req: Request, response: Response): Promise<Response> {
  const type = response.headers.get("content-type");
  if (!isCompressibleType(type)) return response;
  const headers = response.headers;
  const encoding = negotiateEncoding(req.headers.get("accept-encoding"));
  const eligible = encoding !== null && response.status === 200 && response.body !== null &&
    !headers.has("content-encoding") && !req.headers.has("range") &&
    !/\bno-transform\b/i.test(headers.get("cache-control") ?? "");
  const length = Number(headers.get("content-length") ?? NaN);
  if (!eligible || length < MIN_COMPRESS_BYTES) {
    return withVary(response);
  }
  const body = new Uint8Array(await response.arrayBuffer());
  const out = new Headers(headers);
  addVary(out);
  if (body.byteLength < MIN_COMPRESS_BYTES) {
    return new Response(body, {
      status: response.status,
      statusText: response.statusText,
      headers: out,
    });
  }
  const encoded = compress(body, encoding, "dynamic");
  out.set("content-encoding", encoding);
  out.set("content-length", String(encoded.byteLength));
  out.delete("accept-ranges");
  const etag = out.get("etag");
  if (etag) out.set("etag", variantEtag(etag, encoding));
  return new Response(encoded, {
    status: response.status,
    statusText: response.statusText,
    headers: out,
  });
}

function withVary(response: Response): Response {
  try {
    addVary(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    addVary(copy.headers);
    return copy;
  }
}

/**
 * A plugin whose middleware (at `/`, put it first so it wraps the others) compresses routes' and
 * not-found pages' responses; static files and island chunks bring their own cached variants.
 */
export function compressionPlugin(): Plugin {
  return {
    name: "compression",
    middlewares: [{
      path: "/",
      middleware: {
        handler: async (req, ctx) => {
          const response = await ctx.next();
          if (ctx.destination === "static" || ctx.destination === "internal") return response;
          return await compressResponse(req, response);
        },
      },
    }],
  };
}
