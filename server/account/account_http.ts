/** The account routes' glue: the domain's dependencies, the export download and the signed-out goodbye. */
import type { DeletionDeps, ExportDeps, MemberExport } from "@/core/account/mod.ts";
import { photoRecordHooks } from "@/core/scoring/mod.ts";
import type { AppDeps } from "@/server/deps.ts";
import { scoringDeps } from "@/server/profiles/profile_deps.ts";
import { clearSessionCookie } from "@/server/http/session_cookie.ts";

/** What the account domain needs, from the app's backends. */
export function accountDeps(deps: AppDeps): DeletionDeps & ExportDeps {
  const { kv, clock, objects, vectors } = deps;
  const photoRecords = photoRecordHooks(scoringDeps(deps));
  return { kv, clock, objects, vectors, photoRecords, appSecret: deps.config.appSecret };
}

/** The export as a JSON download named after the day it was made. */
export function exportDownload(data: MemberExport): Response {
  const day = new Date(data.exportedAt).toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "content-type": "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="aurum-circle-data-${day}.json"`,
      "cache-control": "private, no-store",
    },
  });
}

/** Where a deleted member lands: the front page, signed out. */
export const GOODBYE_LOCATION = "/?goodbye=1";

/** Clears the session cookie on `response` (the sessions themselves are gone with the account). */
export function signedOut(response: Response, url: URL): Response {
  clearSessionCookie(response.headers, url);
  return response;
}
