/** Puts the signed-in member (if any) on `ctx.state.session` and `ctx.state.member`. */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { getSession } from "@/core/auth/mod.ts";
import { getMember } from "@/core/members.ts";
import type { AppDeps, AppState } from "@/server/deps.ts";
import { readSessionId } from "@/server/http/session_cookie.ts";

/**
 * Loads the session named by the cookie; unknown, expired or revoked ids count as signed out. A
 * session of a suspended member counts as signed out too, and `state.suspended` is set so access
 * rules can say why (suspending removes the member's sessions; this catches one opened meanwhile).
 */
export function loadSession(deps: AppDeps): MiddlewareHandler {
  return async (req, ctx) => {
    const state = ctx.state as AppState;
    state.session = null;
    state.member = null;
    state.suspended = false;
    if (ctx.destination !== "route") return ctx.next();
    const id = readSessionId(req);
    if (id) {
      const record = await getSession(deps.kv, deps.clock, id);
      const member = record ? await getMember(deps.kv, record.wallet) : null;
      if (record && member?.suspension) {
        state.suspended = true;
      } else if (record && member) {
        state.session = { id, record };
        state.member = member;
      }
    }
    return ctx.next();
  };
}
