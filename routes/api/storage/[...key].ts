import type { Handlers } from "$fresh/server.ts";
import { z } from "zod";
import {
  deleteMemberObject,
  getMemberObject,
  listMemberObjects,
  putMemberObject,
} from "@/core/storage/member_objects.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http_errors.ts";
import { objectResponse, requestedRange } from "@/server/object_response.ts";
import { memberObjectDeps } from "@/server/profile_deps.ts";
import { parseQuery } from "@/server/query.ts";

const ListQuery = z.object({
  cursor: z.string().max(1024).optional(),
  limit: z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(
    1,
    "must be at least 1",
  )
    .max(1000, "must be at most 1000").optional(),
});

export const handler: Handlers<unknown, SignedInState> = {
  async GET(req, ctx) {
    const deps = memberObjectDeps(ctx.state.deps);
    const wallet = ctx.state.member.wallet;
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
    const info = await putMemberObject(memberObjectDeps(ctx.state.deps), {
      wallet: ctx.state.member.wallet,
      key: ctx.params.key,
      contentType: req.headers.get("content-type") ?? "",
      bytes: new Uint8Array(await req.arrayBuffer()),
    });
    return json(info);
  },
  async DELETE(_req, ctx) {
    await deleteMemberObject(memberObjectDeps(ctx.state.deps), {
      wallet: ctx.state.member.wallet,
      key: ctx.params.key,
    });
    return new Response(null, { status: 204 });
  },
};
