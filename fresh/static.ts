/**
 * Serves `static/` with weak ETags and 304s, and the island build under
 * `/_fresh/js/<BUILD_ID>/` as immutable.
 */
import { extname, join, normalize, relative, sep } from "node:path";

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

  /** Serves a file that `has()` confirmed, answering 304 when the ETag matches. */
  async serve(req: Request, url: URL): Promise<Response> {
    const entry = await this.#load(url.pathname);
    const headers = new Headers({
      "content-type": entry.type,
      etag: entry.etag,
      vary: "Accept-Encoding",
      "cache-control": url.searchParams.has(ASSET_CACHE_PARAM)
        ? "public, max-age=31536000, immutable"
        : "public, max-age=0, must-revalidate",
    });
    if (etagMatches(req.headers.get("if-none-match"), entry.etag)) {
      return new Response(null, { status: 304, headers });
    }
    headers.set("content-length", String(entry.body.byteLength));
    return new Response(req.method === "HEAD" ? null : entry.body, { headers });
  }

  async #load(pathname: string): Promise<StaticEntry> {
    const cached = this.#dev ? undefined : this.#cache.get(pathname);
    if (cached) return cached;
    const path = this.#resolve(pathname)!;
    const body = await Deno.readFile(path);
    const entry = { body, etag: await weakEtag(body), type: contentTypeFor(path) };
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
