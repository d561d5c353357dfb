import type { Handlers } from "$fresh/server.ts";
import { openSignedObject, storeSignedObject } from "@/core/storage/signed_objects.ts";
import type { AppState } from "@/server/deps.ts";
import { json } from "@/server/http_errors.ts";
import { objectResponse, requestedRange } from "@/server/object_response.ts";

// Public in server/access.ts: the signature is the authorization.
export const handler: Handlers<unknown, AppState> = {
  async GET(req, ctx) {
    const object = await openSignedObject(ctx.state.deps, ctx.url, requestedRange(req));
    return await objectResponse(req, object, { cacheControl: "private, max-age=60" });
  },
  async PUT(req, ctx) {
    const info = await storeSignedObject(ctx.state.deps, ctx.url, {
      contentType: req.headers.get("content-type") ?? "",
      bytes: new Uint8Array(await req.arrayBuffer()),
    });
    return json(info);
  },
};
