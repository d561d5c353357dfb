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
 * content type, and the modulepreload links of its island chunks. The headers go to `Response` as
 * a record, the init Deno converts fastest; a list of pairs only when a name repeats (a record
 * holds one value per name).
 */
export function newPageResponse(
  html: string,
  status: number,
  fromMiddleware: readonly (readonly [string, string])[],
  fromPage: HeadersInit | undefined,
  preloadUrls: string[],
): Response {
  const own = fromPage === undefined ? undefined : new Headers(fromPage);
  const record: Record<string, string> = {};
  let repeated = false;
  for (const [name, value] of fromMiddleware) {
    const key = name.toLowerCase();
    if (own?.has(key)) continue;
    if (key in record) repeated = true;
    record[key] = value;
  }
  if (own) {
    for (const [name, value] of own) {
      if (name in record) repeated = true;
      record[name] = value;
    }
  }
  if (!("content-type" in record)) record["content-type"] = "text/html; charset=utf-8";
  if (preloadUrls.length) {
    if ("link" in record) repeated = true;
    else record.link = preloadLinks(preloadUrls);
  }
  const headers = repeated ? pagePairs(fromMiddleware, own, preloadUrls) : record;
  const response = new Response(html, { status, headers });
  complete.add(response);
  return response;
}

function preloadLinks(urls: string[]): string {
  return urls.map((u) => `<${u}>; rel=modulepreload`).join(", ");
}

/** The same headers as a list of pairs, keeping every value of a repeated name. */
function pagePairs(
  fromMiddleware: readonly (readonly [string, string])[],
  own: Headers | undefined,
  preloadUrls: string[],
): [string, string][] {
  const headers: [string, string][] = [];
  for (const [name, value] of fromMiddleware) {
    if (!own?.has(name)) headers.push([name, value]);
  }
  if (own) headers.push(...own);
  if (!own?.has("content-type")) headers.push(["content-type", "text/html; charset=utf-8"]);
  if (preloadUrls.length) headers.push(["link", preloadLinks(preloadUrls)]);
  return headers;
}

/** Adds the headers a response lacks (a copy when its headers are immutable, as on redirects). */
export function withResponseHeaders(
  response: Response,
  pairs: readonly (readonly [string, string])[],
): Response {
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
