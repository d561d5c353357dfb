/**
 * Serves `static/` with weak ETags and 304s, brotli or gzip per `Accept-Encoding` (each variant
 * compressed once, kept in memory with its own ETag), and single byte ranges of the identity
 * body. The island build is served by `build_serving.ts`.
 */
import { extname, join, normalize, relative, sep } from "node:path";
import {
  compress,
  type Encoding,
  isCompressibleType,
  MIN_COMPRESS_BYTES,
  negotiateEncoding,
  variantEtag,
} from "./compression.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".webp": "image/webp",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".wasm": "application/wasm",
  ".webmanifest": "application/manifest+json",
};

/** The content type for a file name, `application/octet-stream` when unknown. */
export function contentTypeFor(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream";
}

/** Query parameter `asset()` appends so a static file can be cached forever. */
export const ASSET_CACHE_PARAM = "__frsh_c";

interface StaticEntry {
  body: Uint8Array<ArrayBuffer>;
  etag: string;
  type: string;
  /** Encoded variants made so far; null for a variant that did not come out smaller. */
  variants: Map<Encoding, Uint8Array<ArrayBuffer> | null>;
}

/** Looks up and serves files under a static folder. */
export class StaticFiles {
  #dir: string;
  #dev: boolean;
  #known: Set<string> | null = null;
  #cache = new Map<string, StaticEntry>();

  constructor(dir: string, dev: boolean) {
    this.#dir = normalize(dir);
    this.#dev = dev;
  }

  /** Lists the folder once so that, in production, lookups of unknown paths cost nothing. */
  async index(): Promise<void> {
    if (this.#dev) return;
    const known = new Set<string>();
    const walk = async (dir: string) => {
      let entries: AsyncIterable<Deno.DirEntry>;
      try {
        entries = Deno.readDir(dir);
        for await (const entry of entries) {
          const path = join(dir, entry.name);
          if (entry.isDirectory) await walk(path);
          else if (entry.isFile) {
            known.add("/" + relative(this.#dir, path).split(sep).join("/"));
          }
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    };
    await walk(this.#dir);
    this.#known = known;
  }

  /**
   * Production lookup without a promise: true or false from the index, or null when there is
   * no index (dev), where {@link has} asks the file system.
   */
  knows(pathname: string): boolean | null {
    return this.#known ? this.#known.has(pathname) : null;
  }

  /** True when `pathname` names a file in the folder. */
  async has(pathname: string): Promise<boolean> {
    if (this.#known) return this.#known.has(pathname);
    const path = this.#resolve(pathname);
    if (!path) return false;
    try {
      return (await Deno.stat(path)).isFile;
    } catch {
      return false;
    }
  }

  /**
   * Serves a file that `has()` confirmed, answering 304 when the ETag of the chosen variant
   * matches. A Range request gets the identity body (206, or 416 when unsatisfiable): ranges of
   * one stable byte sequence, whatever the client accepts.
   */
  async serve(req: Request, url: URL): Promise<Response> {
    const entry = await this.#load(url.pathname);
    const range = req.headers.get("range");
    const encoding = range === null ? this.#encodingFor(req, entry) : null;
    const body = encoding ? entry.variants.get(encoding)! : entry.body;
    const etag = variantEtag(entry.etag, encoding);
    const headers = new Headers({
      "content-type": entry.type,
      etag,
      vary: "Accept-Encoding",
      "accept-ranges": "bytes",
      "cache-control": url.searchParams.has(ASSET_CACHE_PARAM)
        ? "public, max-age=31536000, immutable"
        : "public, max-age=0, must-revalidate",
    });
    if (encoding) headers.set("content-encoding", encoding);
    if (etagMatches(req.headers.get("if-none-match"), etag)) {
      return new Response(null, { status: 304, headers });
    }
    // If-Range with our weak ETags never matches (RFC 9110 asks for a strong one): send it all.
    const slice = range !== null && !req.headers.has("if-range")
      ? parseRange(range, body.byteLength)
      : null;
    if (slice === "unsatisfiable") {
      headers.set("content-range", `bytes */${body.byteLength}`);
      return new Response(null, { status: 416, headers });
    }
    if (slice) {
      const [start, end] = slice;
      headers.set("content-range", `bytes ${start}-${end}/${body.byteLength}`);
      headers.set("content-length", String(end - start + 1));
      return new Response(req.method === "HEAD" ? null : body.subarray(start, end + 1), {
        status: 206,
        headers,
      });
    }
    headers.set("content-length", String(body.byteLength));
    return new Response(req.method === "HEAD" ? null : body, { headers });
  }

  /** The coding to send `entry` with, compressing (once) the variant the client wants. */
  #encodingFor(req: Request, entry: StaticEntry): Encoding | null {
    if (!isCompressibleType(entry.type) || entry.body.byteLength < MIN_COMPRESS_BYTES) return null;
    const encoding = negotiateEncoding(req.headers.get("accept-encoding"));
    if (!encoding) return null;
    let variant = entry.variants.get(encoding);
    if (variant === undefined) {
      const encoded = compress(entry.body, encoding, "static");
      variant = encoded.byteLength < entry.body.byteLength ? encoded : null;
      entry.variants.set(encoding, variant);
    }
    return variant ? encoding : null;
  }

  async #load(pathname: string): Promise<StaticEntry> {
    const cached = this.#dev ? undefined : this.#cache.get(pathname);
    if (cached) return cached;
    const path = this.#resolve(pathname)!;
    const body = await Deno.readFile(path);
    const entry: StaticEntry = {
      body,
      etag: await weakEtag(body),
      type: contentTypeFor(path),
      variants: new Map(),
    };
    if (!this.#dev) this.#cache.set(pathname, entry);
    return entry;
  }

  #resolve(pathname: string): string | null {
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      return null;
    }
    if (decoded.includes("\0")) return null;
    const path = normalize(join(this.#dir, decoded));
    return path.startsWith(this.#dir + sep) ? path : null;
  }
}

/** A weak ETag from the content's SHA-1 (content-based, so it is stable across restarts). */
export async function weakEtag(body: Uint8Array): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-1", body as Uint8Array<ArrayBuffer>),
  );
  const hex = Array.from(digest.slice(0, 10), (b) => b.toString(16).padStart(2, "0")).join("");
  return `W/"${hex}"`;
}

/** True when an If-None-Match header lists the ETag (weak comparison) or is `*`. */
export function etagMatches(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === bare;
  });
}

/**
 * The one byte range of a `Range` header (`bytes=a-b`, `bytes=a-`, `bytes=-n`) over `size` bytes:
 * inclusive [start, end], "unsatisfiable", or null to send the whole body (other units, several
 * ranges or a malformed header).
 */
export function parseRange(
  header: string,
  size: number,
): [number, number] | "unsatisfiable" | null {
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match || (match[1] === "" && match[2] === "")) return null;
  let start: number, end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return "unsatisfiable";
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return null;
  }
  if (start >= size || size === 0) return "unsatisfiable";
  return [start, end];
}
