import type { Handler } from "$fresh/server.ts";

const OLD_PATH = "/api/objects/";

/**
 * The old object address: a permanent redirect (method and query kept) to `/api/storage/…`. The
 * key keeps its encoding, so a signed URL handed out before still verifies there.
 */
export const handler: Handler = (_req, ctx) => {
  const key = ctx.url.pathname.slice(OLD_PATH.length);
  return new Response(null, {
    status: 308,
    headers: { location: `/api/storage/${key}${ctx.url.search}` },
  });
};
