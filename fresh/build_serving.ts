/**
 * Serves the island bundle's chunks under `/_fresh/js/<BUILD_ID>/`, immutable, brotli or gzip per
 * `Accept-Encoding`: each chunk is compressed once per coding and kept with the build in memory.
 * Range requests get the whole chunk (a server may ignore Range; chunks are small and immutable).
 */
import type { BuildResult } from "./build.ts";
import {
  compress,
  type Encoding,
  MIN_COMPRESS_BYTES,
  negotiateEncoding,
  variantEtag,
} from "./compression.ts";
import { etagMatches } from "./static.ts";

export const BUILD_PATH_PREFIX = "/_fresh/js/";

/** Encoded chunks per build: file → coding → bytes (null when it did not come out smaller). */
const variants = new WeakMap<BuildResult, Map<string, Map<Encoding, Uint8Array | null>>>();

function variantOf(build: BuildResult, file: string, body: Uint8Array, encoding: Encoding) {
  let files = variants.get(build);
  if (!files) variants.set(build, files = new Map());
  let codings = files.get(file);
  if (!codings) files.set(file, codings = new Map());
  let variant = codings.get(encoding);
  if (variant === undefined) {
    const encoded = compress(body, encoding, "static");
    variant = encoded.byteLength < body.byteLength ? encoded : null;
    codings.set(encoding, variant);
  }
  return variant;
}

/** Answers a chunk request; an unknown build id or file is a 404. */
export function serveBuildFile(req: Request, url: URL, build: BuildResult | null): Response {
  const [buildId, ...rest] = url.pathname.slice(BUILD_PATH_PREFIX.length).split("/");
  const file = rest.join("/");
  const body = build && buildId === build.buildId ? build.files.get(file) : undefined;
  if (!build || !body) return new Response("Not Found", { status: 404 });
  let encoding = body.byteLength >= MIN_COMPRESS_BYTES
    ? negotiateEncoding(req.headers.get("accept-encoding"))
    : null;
  const encoded = encoding ? variantOf(build, file, body, encoding) : null;
  if (!encoded) encoding = null;
  const sent = encoded ?? body;
  const headers = new Headers({
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=31536000, immutable",
    vary: "Accept-Encoding",
    etag: variantEtag(`W/"${build.buildId}-${file}"`, encoding),
  });
  if (encoding) headers.set("content-encoding", encoding);
  if (etagMatches(req.headers.get("if-none-match"), headers.get("etag")!)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(sent.byteLength));
  return new Response(req.method === "HEAD" ? null : sent as Uint8Array<ArrayBuffer>, { headers });
}
