/** Responses that start, rotate or end a session, keeping the cookie and KV in step. */
import type { FreshContext } from "$fresh/server.ts";
import { deleteSession, rotateSession } from "@/core/auth/mod.ts";
import type { AppState } from "@/server/deps.ts";
import { json } from "./http_errors.ts";
import { clearSessionCookie, readSessionId, setSessionCookie } from "./session_cookie.ts";

/** Answers `body` with a cookie for the new session, deleting the session the old cookie named. */
export async function replaceSession(
  ctx: FreshContext,
  newId: string,
  body: unknown,
): Promise<Response> {
  const { deps } = ctx.state as AppState;
  const oldId = readSessionId(ctx.req);
  if (oldId && oldId !== newId) await deleteSession(deps.kv, oldId);
  const response = json(body, { headers: { "cache-control": "no-store" } });
  setSessionCookie(response.headers, ctx.url, newId, deps.config.sessionTtlSeconds);
  return response;
}

/** Answers `body` after giving the current session a new id (on a change of privileges). */
export async function rotatedSession(ctx: FreshContext, body: unknown): Promise<Response> {
  const { deps, session } = ctx.state as AppState;
  const response = json(body, { headers: { "cache-control": "no-store" } });
  if (!session) return response;
  const rotated = await rotateSession(
    deps.kv,
    deps.clock,
    session.id,
    deps.config.sessionTtlSeconds,
  );
  if (rotated) {
    setSessionCookie(response.headers, ctx.url, rotated.id, deps.config.sessionTtlSeconds);
  }
  return response;
}

/** Ends the session the cookie names (if any) and expires the cookie. */
export async function endSession(ctx: FreshContext): Promise<Response> {
  const { deps } = ctx.state as AppState;
  const id = readSessionId(ctx.req);
  if (id) await deleteSession(deps.kv, id);
  const response = new Response(null, { status: 204 });
  clearSessionCookie(response.headers, ctx.url);
  return response;
}
