/** Serves the island bundle's chunks under `/_fresh/js/<BUILD_ID>/`. */
import type { BuildResult } from "./build.ts";

export const BUILD_PATH_PREFIX = "/_fresh/js/";

/** Answers a chunk request; an unknown build id or file is a 404. */
export function serveBuildFile(req: Request, url: URL, build: BuildResult | null): Response {
  const [buildId, ...rest] = url.pathname.slice(BUILD_PATH_PREFIX.length).split("/");
  const body = build && buildId === build.buildId ? build.files.get(rest.join("/")) : undefined;
  if (!body) return new Response("Not Found", { status: 404 });
  return new Response(req.method === "HEAD" ? null : body as Uint8Array<ArrayBuffer>, {
    headers: {
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": "public, max-age=31536000, immutable",
      "content-length": String(body.byteLength),
    },
  });
}
