import type { Handlers } from "$fresh/server.ts";
import type { AppState } from "@/server/deps.ts";
import { UnauthorizedError } from "@/core/errors.ts";
import { apiErrorResponse } from "@/server/http/http_errors.ts";

export const handler: Handlers<unknown, AppState> = {
  GET(req, ctx) {
    const { config, metrics } = ctx.state.deps;
    if (
      config.metricsToken && req.headers.get("authorization") !== `Bearer ${config.metricsToken}`
    ) {
      return apiErrorResponse(
        new UnauthorizedError("metrics_token_required", "A valid metrics token is required."),
      );
    }
    return new Response(metrics.render(), {
      headers: { "content-type": "text/plain; version=0.0.4; charset=utf-8" },
    });
  },
};
