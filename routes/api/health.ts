import type { Handlers } from "$fresh/server.ts";
import type { AppState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { checkHealth } from "@/server/observability/health.ts";

export const handler: Handlers<unknown, AppState> = {
  async GET(_req, ctx) {
    const report = await checkHealth(ctx.state.deps.health);
    return json(report, {
      status: report.ready ? 200 : 503,
      headers: { "cache-control": "no-store" },
    });
  },
};
