import type { Handler } from "$fresh/server.ts";

/** The old photo address: a permanent redirect (method and query kept) to the profile's photo. */
export const handler: Handler = (_req, ctx) => {
  const [profileId, photoId] = [ctx.params.profileId, ctx.params.photoId].map(encodeURIComponent);
  const location = `/api/profiles/${profileId}/photos/${photoId}${ctx.url.search}`;
  return new Response(null, { status: 308, headers: { location } });
};
