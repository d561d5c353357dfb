/**
 * Enforces `server/http/access.ts`: 401 without a session, 403 for a session whose member is not
 * admitted, 403 `member_suspended` for a suspended member's session. APIs get the JSON error; pages
 * get a themed page with the same status.
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { refreshGateAdmission } from "@/core/auth/mod.ts";
import { ForbiddenError, ServiceUnavailableError, UnauthorizedError } from "@/core/errors.ts";
import { suspendedError } from "@/core/members.ts";
import { type Access, accessFor } from "@/server/http/access.ts";
import type { AppState } from "@/server/deps.ts";
import { isApiPath } from "./request_context.ts";
import type { ErrorPageData } from "@/components/ErrorPage.tsx";
import { afterAdmissionChange } from "@/server/discovery/style_admission.ts";

/** The access middleware (runs after `loadSession`); `extra` adds rules by route pattern. */
export function enforceAccess(extra: Record<string, Access> = {}): MiddlewareHandler {
  return async (_req, ctx) => {
    if (ctx.destination !== "route") return ctx.next();
    const access = extra[ctx.route] ?? accessFor(ctx.route, ctx.url);
    if (access === "public") return ctx.next();
    const state = ctx.state as AppState;
    if (access === "member") await recheckGateAdmission(state);
    const status = !state.member
      ? 401
      : access === "member" && !state.member.membership.admitted
      ? 403
      : 0;
    if (status === 0) return ctx.next();
    if (status === 401 && state.suspended) {
      const refusal = suspendedError();
      if (isApiPath(ctx.url.pathname)) throw refusal;
      return ctx.renderError(
        403,
        {
          kind: "client_error",
          status: 403,
          message: refusal.message,
        } satisfies ErrorPageData,
        { "cache-control": "no-store" },
      );
    }
    if (isApiPath(ctx.url.pathname)) {
      throw status === 401
        ? new UnauthorizedError("not_signed_in", "Sign in to continue.")
        : new ForbiddenError("not_admitted", "Members only: enter the vault first.");
    }
    const next = ctx.url.pathname + ctx.url.search;
    return ctx.renderError(status, { kind: "denied", status, next } satisfies ErrorPageData, {
      "cache-control": "no-store",
    });
  };
}

/**
 * An admission that rests on the gate NFT lasts only while the gate answer (cached for
 * GATE_TTL_SECONDS) says the NFT is held: a stale answer is re-read from the chain, so a transferred
 * NFT stops granting access. When the chain cannot be asked, the last verified admission stands.
 */
async function recheckGateAdmission(state: AppState): Promise<void> {
  if (state.member?.membership.via !== "gate_nft") return;
  const { kv, clock, gate, logger } = state.deps;
  try {
    const result = await refreshGateAdmission({ kv, clock, gate }, state.member.wallet);
    if (result) state.member = result.member;
    if (result?.membershipChanged) await afterAdmissionChange(state.deps, result.member);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    if (error.code !== "gate_not_configured") {
      logger.log("warn", "gate_recheck_unavailable", { code: error.code });
    }
  }
}
