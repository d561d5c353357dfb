/**
 * `ctx.responseHeaders`: headers middleware want on every response of a request. Pages the
 * renderer builds get them in their constructor; any other response gets those it lacks once the
 * middleware chain has returned. Reading a built Response's `headers` makes Deno drop the native
 * response it prepared from the body and encode the body again, so neither the renderer nor
 * this step touches the headers of a rendered page afterwards.
 */

// Responses built with the request's `ctx.responseHeaders` already in them.
const complete = new WeakSet<Response>();

/**
 * A rendered page: the page's own headers (from `ctx.render`) over the middleware's, a default
 * content type, and the modulepreload links of its island chunks.
 */
export function newPageResponse(
  html: string,
  status: number,
  fromMiddleware: [string, string][],
  fromPage: HeadersInit | undefined,
  preloadUrls: string[],
): Response {
  const own = fromPage === undefined ? [] : [...new Headers(fromPage)];
  const ownNames = new Set(own.map(([name]) => name));
  const headers: [string, string][] = [];
  for (const [name, value] of fromMiddleware) {
    if (!ownNames.has(name.toLowerCase())) headers.push([name, value]);
  }
  headers.push(...own);
  if (!ownNames.has("content-type")) headers.push(["content-type", "text/html; charset=utf-8"]);
  if (preloadUrls.length) {
    headers.push(["link", preloadUrls.map((u) => `<${u}>; rel=modulepreload`).join(", ")]);
  }
  const response = new Response(html, { status, headers });
  complete.add(response);
  return response;
}

/** Adds the headers a response lacks (a copy when its headers are immutable, as on redirects). */
export function withResponseHeaders(response: Response, pairs: [string, string][]): Response {
  if (pairs.length === 0 || complete.has(response)) return response;
  const add = (headers: Headers) => {
    for (const [name, value] of pairs) if (!headers.has(name)) headers.set(name, value);
  };
  try {
    add(response.headers);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    add(copy.headers);
    return copy;
  }
}
