/** Client-safe runtime exports, imported by pages, components and islands as `$fresh/runtime.ts`. */
import { getBuildId } from "./runtime/build_id.ts";

export { Head } from "./runtime/head.ts";

/** True in the browser, false while rendering on the server. */
export const IS_BROWSER = typeof document !== "undefined";

/**
 * The url of the build's `client/scripts/<name>.ts` bundle (a classic script, see fresh/build.ts),
 * or null when there is no build.
 */
export function bundledScript(name: string): string | null {
  const id = getBuildId();
  return id ? `/_fresh/js/${id}/${name}.js` : null;
}

/** Adds the build id to a root-relative path for cache busting; other paths stay unchanged. */
export function asset(path: string): string {
  const id = getBuildId();
  if (!id || !path.startsWith("/") || path.startsWith("//")) return path;
  const url = new URL(path, "http://localhost");
  if (url.searchParams.has("__frsh_c")) return path;
  url.searchParams.set("__frsh_c", id);
  return url.pathname + url.search + url.hash;
}
