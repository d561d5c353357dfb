import type { Handlers } from "$fresh/server.ts";
import { addPhoto, withPhotoUploadSlot } from "@/core/profiles/mod.ts";
import type { SignedInState } from "@/server/deps.ts";
import { json } from "@/server/http/http_errors.ts";
import { readPhotoUpload } from "@/server/profiles/photo_upload.ts";
import { ownProfileView, profileDeps } from "@/server/profiles/profile_deps.ts";

export const handler: Handlers<unknown, SignedInState> = {
  async POST(req, ctx) {
    const upload = await readPhotoUpload(req);
    const deps = profileDeps(ctx.state.deps);
    const wallet = ctx.state.member.wallet;
    const { photo, profile } = await withPhotoUploadSlot(
      ctx.state.deps,
      wallet,
      () => addPhoto(deps, { profileId: ctx.params.id, wallet, ...upload }),
    );
    const view = ownProfileView(ctx.state, profile);
    return json({ photo: view.photos.find((p) => p.id === photo.id), profile: view }, {
      status: 201,
    });
  },
};
