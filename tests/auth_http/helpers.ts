/** Builds the real app for HTTP-level auth tests and signs requests in with cookies. */
import { createApp } from "../../server/app.ts";
import { loadConfig } from "../../core/config.ts";
import { createMemoryLogger } from "../../server/logger.ts";
import type { AppDepsInput } from "../../server/app.ts";
import type { FreshConfig } from "$fresh/server.ts";

export const ORIGIN = "http://localhost:8000";

/** A test app on `:memory:` KV; close it with `close()`. */
export async function testApp(
  env: Record<string, string> = {},
  deps: Partial<AppDepsInput> = {},
  overrides: FreshConfig = {},
) {
  const kv = await Deno.openKv(":memory:");
  const logger = createMemoryLogger();
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", ...env });
  const app = await createApp({ kv, logger, config, ...deps }, overrides);
  return {
    app,
    kv,
    logs: logger.entries,
    fetch: (path: string, init: RequestInit = {}) => app.fetch(new Request(ORIGIN + path, init)),
    close: async () => {
      await app.deps.cache.close();
      kv.close();
    },
  };
}

/** The `aurum_session` value a response sets, if any. */
export function sessionCookie(res: Response): string | null {
  for (const line of res.headers.getSetCookie()) {
    const match = line.match(/^aurum_session=([^;]*)/);
    if (match) return match[1] || null;
  }
  return null;
}

/** Request init for a same-origin JSON POST with an optional session cookie. */
export function post(body: unknown, cookie?: string | null): RequestInit {
  const headers: Record<string, string> = { "content-type": "application/json", origin: ORIGIN };
  if (cookie) headers.cookie = `aurum_session=${cookie}`;
  return { method: "POST", headers, body: JSON.stringify(body) };
}

/** Request init carrying the session cookie. */
export function withCookie(cookie: string, init: RequestInit = {}): RequestInit {
  const headers = new Headers(init.headers);
  headers.set("cookie", `aurum_session=${cookie}`);
  headers.set("origin", ORIGIN);
  return { ...init, headers };
}

/** Signs in as a development persona and returns the session cookie value. */
export async function signInAs(
  t: Awaited<ReturnType<typeof testApp>>,
  persona: string,
): Promise<string> {
  const res = await t.fetch("/api/auth/dev", post({ persona }));
  if (res.status !== 200) throw new Error(`dev sign-in failed: ${res.status} ${await res.text()}`);
  await res.body?.cancel();
  return sessionCookie(res)!;
}
