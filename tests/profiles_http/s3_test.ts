import assert from "node:assert/strict";
import { startS3rver } from "@/tests/helpers/s3rver.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";
import {
  allObjectKeys,
  as,
  bytesOf,
  createProfileOver,
  newMember,
  profilesApp,
} from "./_helpers.ts";

Deno.test("[profiles http] S3: uploads go end to end through s3rver; with it stopped, 503 and no change", async () => {
  const s3 = await startS3rver("aurum-photos");
  const t = await profilesApp({
    S3_ENDPOINT: s3.endpoint,
    S3_BUCKET: s3.bucket,
    S3_ACCESS_KEY_ID: s3.accessKeyId,
    S3_SECRET_ACCESS_KEY: s3.secretAccessKey,
    S3_REGION: "us-east-1",
    S3_FORCE_PATH_STYLE: "true",
  });
  try {
    assert.equal(t.app.deps.objects.kind, "s3");
    const ada = await newMember(t);
    const bo = await newMember(t);
    const profile = await createProfileOver(t, ada);
    const jpeg = await plainJpeg(await uprightPhoto());
    const upload = () =>
      t.fetch(
        `/api/profiles/${profile.id}/photos`,
        as(ada, {
          method: "POST",
          headers: { "content-type": "image/jpeg" },
          body: jpeg as Uint8Array<ArrayBuffer>,
        }),
      );

    const res = await upload();
    assert.equal(res.status, 201, await res.clone().text());
    const { photo } = await res.json();
    const keys = await allObjectKeys(t.app.deps.objects);
    assert.deepEqual(
      keys,
      ["card", "full", "thumb"].map((n) => `profiles/${profile.id}/photos/${photo.id}/${n}.jpg`),
    );
    const own = await t.fetch(`/api/profiles/${profile.id}/photos/${photo.id}`, as(ada));
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("x-photo-rendition"), "full");
    assert.ok((await bytesOf(own)).length > 1000);
    const stranger = await t.fetch(`/api/profiles/${profile.id}/photos/${photo.id}`, as(bo));
    assert.equal(stranger.headers.get("x-photo-rendition"), "thumb");
    await stranger.body?.cancel();
    // Signed URLs of S3 point at the backend itself: the app serves none.
    const objectsRoute = await t.fetch(`/api/storage/${keys[0]}?exp=1&sig=x`);
    assert.equal(objectsRoute.status, 404);
    await objectsRoute.body?.cancel();

    const before = await t.kv.get(["profiles", profile.id]);
    await s3.stop();
    const down = await upload();
    assert.equal(down.status, 503);
    assert.equal((await down.json()).error.code, "storage_unavailable");
    const after = await t.kv.get(["profiles", profile.id]);
    assert.equal(after.versionstamp, before.versionstamp, "the profile did not change");
    const me = await (await t.fetch("/api/profiles/me", as(ada))).json();
    assert.deepEqual(me.photos.map((p: { id: string }) => p.id), [photo.id]);
  } finally {
    await t.close();
    await s3.stop();
  }
});
