import assert from "node:assert/strict";
import { BadRequestError, UnprocessableError } from "@/core/errors.ts";
import * as ml from "@/ml-wasm/mod.ts";
import {
  addPhoto,
  deletePhoto,
  hasMainPhoto,
  mainPhotoProblem,
  type PhotoDeps,
  reorderPhotos,
} from "@/core/profiles/mod.ts";
import { getProfile, readProfile } from "@/core/profiles/profiles.ts";
import { DEMO_DIR } from "@/tests/ml/_images.ts";
import { plainJpeg, uprightPhoto } from "./_photos.ts";
import { allKeys, memberWithProfile, withWorld, type World } from "./_helpers.ts";

const deps = (world: World): PhotoDeps => ({ ...world, ml });

const demo = (n: number) => Deno.readFile(new URL(`sample${n}.jpg`, DEMO_DIR));
let solo: Uint8Array | null = null;
/** A real photo with one face (part of the demo sample that has one). */
const soloPhoto = async () => solo ??= await plainJpeg(await uprightPhoto());

const upload = (
  world: World,
  who: { wallet: string; profile: { id: string } },
  bytes: Uint8Array,
) =>
  addPhoto(deps(world), {
    profileId: who.profile.id,
    wallet: who.wallet,
    bytes,
    contentType: "image/jpeg",
  });

Deno.test("[profiles] the main photo rule tells the demo's one-face photo from its group photos", async () => {
  const judged: Record<string, string | null> = {};
  for (const n of [1, 2, 3, 4, 5, 6]) {
    const analysis = await ml.analyzePhoto(await demo(n));
    judged[`sample${n}`] = mainPhotoProblem(analysis.faces, analysis.width, analysis.height);
  }
  assert.deepEqual(judged, {
    sample1: "group",
    sample2: null,
    sample3: "group",
    sample4: "group",
    sample5: "group",
    sample6: "group",
  });
  // A tiny face is not prominent; a small face far behind a large one does not make a group.
  assert.equal(mainPhotoProblem([{ width: 50, height: 50 }], 1000, 1000), "no_prominent_face");
  assert.equal(
    mainPhotoProblem([{ width: 300, height: 300 }, { width: 100, height: 100 }], 1000, 1000),
    null,
  );
  assert.equal(
    mainPhotoProblem([{ width: 300, height: 300 }, { width: 200, height: 200 }], 1000, 1000),
    "group",
  );
});

Deno.test("[profiles] a group photo is refused as the main photo, nothing stored, and accepted further down", async () => {
  await withWorld(async (world) => {
    const ada = await memberWithProfile(world);
    const before = await readProfile(world.kv, ada.profile.id);
    for (const n of [1, 3, 6]) {
      const error = await upload(world, ada, await demo(n)).catch((e) => e);
      assert.ok(error instanceof UnprocessableError, `sample${n}`);
      assert.equal(error.code, "photo_main_not_solo");
      assert.equal(
        error.message,
        "Your main photo should show just you — add group photos further down.",
      );
    }
    assert.deepEqual(await allKeys(world), []);
    assert.equal((await readProfile(world.kv, ada.profile.id)).versionstamp, before.versionstamp);

    const main = await upload(world, ada, await soloPhoto());
    assert.equal(main.photo.soloFace, true);
    assert.equal(hasMainPhoto(main.profile), true);
    const group = await upload(world, ada, await demo(3));
    assert.equal(group.photo.soloFace, false);
    assert.deepEqual(group.profile.photos.map((p) => p.id), [main.photo.id, group.photo.id]);
  });
});

Deno.test("[profiles] a group photo cannot be reordered into the main slot; solo photos can", async () => {
  await withWorld(async (world) => {
    const ada = await memberWithProfile(world);
    const first = (await upload(world, ada, await soloPhoto())).photo.id;
    const group = (await upload(world, ada, await demo(5))).photo.id;
    const second = (await upload(world, ada, await soloPhoto())).photo.id;
    const reorder = (order: string[]) =>
      reorderPhotos(world, { profileId: ada.profile.id, wallet: ada.wallet, order });

    const error = await reorder([group, first, second]).catch((e) => e);
    assert.ok(error instanceof UnprocessableError);
    assert.equal(error.code, "photo_main_not_solo");
    assert.deepEqual(
      (await getProfile(world, ada.profile.id))!.photos.map((p) => p.id),
      [first, group, second],
    );
    await assert.rejects(reorder([group, first]), BadRequestError); // still checks the list first
    const moved = await reorder([second, first, group]);
    assert.deepEqual(moved.photos.map((p) => p.id), [second, first, group]);
  });
});

Deno.test("[profiles] deleting the main photo brings the next solo photo forward, never a group photo", async () => {
  await withWorld(async (world) => {
    const ada = await memberWithProfile(world);
    const first = (await upload(world, ada, await soloPhoto())).photo.id;
    const group = (await upload(world, ada, await demo(4))).photo.id;
    const second = (await upload(world, ada, await soloPhoto())).photo.id;
    const remove = (photoId: string) =>
      deletePhoto(world, { profileId: ada.profile.id, wallet: ada.wallet, photoId });

    const after = await remove(first);
    assert.deepEqual(after.profile.photos.map((p) => p.id), [second, group]);
    // Only a group photo left: it leads, and the member has no main photo any more.
    const last = await remove(second);
    assert.deepEqual(last.profile.photos.map((p) => p.id), [group]);
    assert.equal(hasMainPhoto(last.profile), false);
    // A new solo photo then takes the main slot.
    const again = await upload(world, ada, await soloPhoto());
    assert.deepEqual(again.profile.photos.map((p) => p.id), [again.photo.id, group]);
    assert.equal(hasMainPhoto(again.profile), true);
  });
});
