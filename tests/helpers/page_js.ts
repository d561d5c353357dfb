/** What a page costs in JavaScript: how the JS budget tests measure it. */
import { gzipSize } from "./gzip.ts";

/** Gzip bytes of every script a page loads: its inline module and the preloaded chunks. */
export async function shippedJs(
  t: { fetch(path: string): Promise<Response> },
  res: Response,
  html: string,
): Promise<number> {
  let total = 0;
  for (const m of html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)) {
    total += await gzipSize(new TextEncoder().encode(m[1]));
  }
  for (const m of (res.headers.get("link") ?? "").matchAll(/<([^>]+)>;\s*rel=modulepreload/g)) {
    total += await gzipSize(new Uint8Array(await (await t.fetch(m[1])).arrayBuffer()));
  }
  return total;
}
