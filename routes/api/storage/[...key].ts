import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import {
  deleteMemberObject,
  getMemberObject,
  listMemberObjects,
  putMemberObject,
} from "@/core/storage/member_objects.ts";
import { ForbiddenError } from "@/core/errors.ts";
import { openSignedObject, storeSignedObject } from "@/core/storage/signed_objects.ts";
import { isSignedObjectUrl } from "@/core/storage/signed_url.ts";
import type { AppState, SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { objectResponse, requestedRange } from "@/server/http/object_response.ts";
import { memberObjectDeps } from "@/server/profiles/profile_deps.ts";
import { parseQuery } from "@/server/http/query.ts";

const ListQuery = z.object({
  cursor: z.string().max(1024).optional(),
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(
    1,
    "must be at least 1",
  )
    .max(1000, "must be at most 1000").optional(),
});

/** The caller's wallet: without a signature the route is members-only (server/http/access.ts). */
const walletOf = (state: AppState) => (state as SignedInState).member.wallet;

// With `?sig=` the signature is the authorization (core/storage/signed_url.ts) and the key is the
// store's own; without, a member reads and writes their own objects.
export const handler: Handlers<unknown, AppState> = {
  async GET(req, ctx) {
    if (isSignedObjectUrl(ctx.url)) {
      const object = await openSignedObject(ctx.state.deps, ctx.url, requestedRange(req));
      return await objectResponse(req, object, { cacheControl: "private, max-age=60" });
    }
    const deps = memberObjectDeps(ctx.state.deps);
    const wallet = walletOf(ctx.state);
    if (ctx.params.key === "") {
      const page = await listMemberObjects(deps, { wallet, ...parseQuery(ctx.url, ListQuery) });
      return json(page, { headers: { "cache-control": "private, no-store" } });
    }
    const object = await getMemberObject(deps, {
      wallet,
      key: ctx.params.key,
      range: requestedRange(req),
    });
    return await objectResponse(req, object, { cacheControl: "private, no-cache" });
  },
  async PUT(req, ctx) {
    if (isSignedObjectUrl(ctx.url)) {
      const info = await storeSignedObject(ctx.state.deps, ctx.url, {
        contentType: req.headers.get("content-type") ?? "",
        bytes: new Uint8Array(await req.arrayBuffer()),
      });
      return json(info);
    }
    const info = await putMemberObject(memberObjectDeps(ctx.state.deps), {
      wallet: walletOf(ctx.state),
      key: ctx.params.key,
      contentType: req.headers.get("content-type") ?? "",
      bytes: new Uint8Array(await req.arrayBuffer()),
    });
    return json(info);
  },
  async DELETE(_req, ctx) {
    if (isSignedObjectUrl(ctx.url)) {
      throw new ForbiddenError("signed_url_invalid", "A signed URL grants GET or PUT only.");
    }
    await deleteMemberObject(memberObjectDeps(ctx.state.deps), {
      wallet: walletOf(ctx.state),
      key: ctx.params.key,
    });
    return new Response(null, { status: 204 });
  },
};
