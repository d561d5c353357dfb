/**
 * Asks for the profile details added after some profiles were made (gender, who they want to meet,
 * region): an admitted member whose profile lacks them is sent, from any members' page, to
 * `/profile/details?next=<where they were going>`, and comes back there once they are given. APIs
 * are never redirected; a member without a profile is left to the pages that lead to onboarding.
 */
import type { MiddlewareHandler } from "$fresh/server.ts";
import { getProfileByWallet, needsDetails } from "@/core/profiles/mod.ts";
import { accessFor } from "@/server/http/access.ts";
import type { AppState } from "@/server/deps.ts";
import { isApiPath } from "./request_context.ts";

/** The page that asks for the details. */
export const DETAILS_PATH = "/profile/details";

/** Pages that never send a member to the details step: the step itself and onboarding. */
const EXEMPT = new Set([DETAILS_PATH, "/onboarding"]);

/** The details middleware (runs after `enforceAccess`, so the member is admitted). */
export function askForProfileDetails(): MiddlewareHandler {
  return async (req, ctx) => {
    if (
      ctx.destination !== "route" || (req.method !== "GET" && req.method !== "HEAD") ||
      isApiPath(ctx.url.pathname) || EXEMPT.has(ctx.route) ||
      accessFor(ctx.route, ctx.url) !== "member"
    ) return ctx.next();
    const state = ctx.state as AppState;
    if (!state.member?.membership.admitted) return ctx.next();
    const profile = await getProfileByWallet(state.deps, state.member.wallet);
    state.ownProfileRecord = profile;
    if (!profile || !needsDetails(profile)) return ctx.next();
    const next = encodeURIComponent(ctx.url.pathname + ctx.url.search);
    return new Response(null, {
      status: 303,
      headers: { location: `${DETAILS_PATH}?next=${next}`, "cache-control": "no-store" },
    });
  };
}
