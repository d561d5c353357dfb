import type { Handlers } from "$fresh/server.ts";
import { endSession } from "../../../server/session_responses.ts";

export const handler: Handlers = {
  POST: (_req, ctx) => endSession(ctx),
};
