/** The session cookie: `HttpOnly; SameSite=Lax; Secure` (Secure relaxed only for localhost). */

/** Name of the cookie that carries the opaque session id. */
export const SESSION_COOKIE = "aurum_session";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** The session id from the request's cookies, if it has a plausible shape. */
export function readSessionId(req: Request): string | null {
  const header = req.headers.get("cookie");
  if (!header) return null;
  for (const part of header.split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name === SESSION_COOKIE) {
      const value = rest.join("=");
      return /^[A-Za-z0-9_-]{20,128}$/.test(value) ? value : null;
    }
  }
  return null;
}

function attributes(url: URL, maxAgeSeconds: number): string {
  const secure = LOCAL_HOSTS.has(url.hostname) ? "" : "; Secure";
  return `Path=/; HttpOnly; SameSite=Lax; Max-Age=${maxAgeSeconds}${secure}`;
}

/** Sets the cookie to `id` for `maxAgeSeconds`. */
export function setSessionCookie(headers: Headers, url: URL, id: string, maxAgeSeconds: number) {
  headers.append("set-cookie", `${SESSION_COOKIE}=${id}; ${attributes(url, maxAgeSeconds)}`);
}

/** Expires the cookie in the browser. */
export function clearSessionCookie(headers: Headers, url: URL) {
  headers.append("set-cookie", `${SESSION_COOKIE}=; ${attributes(url, 0)}`);
}
