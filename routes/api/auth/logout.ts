import type { Handlers } from "$fresh/server.ts";
import { endSession } from "@/server/http/session_responses.ts";

export const handler: Handlers = {
  /**
   * Ends the session: 204 for the islands' fetch; a plain form post (the header's sign-out
   * button without JavaScript) is sent to the landing page instead.
   */
  async POST(req, ctx) {
    const response = await endSession(ctx);
    const type = req.headers.get("content-type") ?? "";
    if (!type.startsWith("application/x-www-form-urlencoded")) return response;
    await req.body?.cancel();
    const redirect = new Response(null, { status: 303, headers: response.headers });
    redirect.headers.set("location", "/");
    return redirect;
  },
};
