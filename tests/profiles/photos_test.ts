import assert from "node:assert/strict";
import {
  ConflictError,
  ForbiddenError,
  PayloadTooLargeError,
  ServiceUnavailableError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from "@/core/errors.ts";
import * as ml from "@/ml-wasm/mod.ts";
import {
  addPhoto,
  deletePhoto,
  MAX_PHOTO_BYTES,
  type PhotoDeps,
  photoForViewer,
  reorderPhotos,
  sweepOrphanPhotos,
} from "@/core/profiles/photos.ts";
import { renditionKey, renditionKeys } from "@/core/profiles/photo_keys.ts";
import { deleteProfile, getProfile, readProfile } from "@/core/profiles/profiles.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import { encodePng, scene } from "@/tests/ml/_images.ts";
import {
  hasExif,
  jpegSize,
  meanDifference,
  orientedJpeg,
  type Pixels,
  plainJpeg,
  readObject,
  rotate180,
  uprightPhoto,
} from "./_photos.ts";
import { admittedMember, allKeys, memberWithProfile, withWorld, type World } from "./_helpers.ts";

let upright: Pixels | null = null;
let plain: Uint8Array | null = null;

/** The upright reference photo and a plain JPEG of it, built once. */
async function fixtures() {
  upright ??= await uprightPhoto();
  plain ??= await plainJpeg(upright);
  return { upright, plain };
}

const deps = (world: World, objects: ObjectStore = world.objects): PhotoDeps => ({
  ...world,
  objects,
  ml,
});

/** Asserts that a failed upload left no objects and did not touch the profile record. */
async function assertUntouched(world: World, profileId: string, versionstamp: string | null) {
  assert.deepEqual(await allKeys(world), []);
  const after = await world.kv.get(["profiles", profileId]);
  assert.equal(after.versionstamp, versionstamp);
}

for (const orientation of [6, 8] as const) {
  Deno.test(`[profiles] an EXIF GPS + orientation ${orientation} JPEG is stored upright without metadata`, async () => {
    await withWorld(async (world) => {
      const { upright } = await fixtures();
      const { wallet, profile } = await memberWithProfile(world);
      const bytes = await orientedJpeg(upright, orientation);
      assert.ok(hasExif(bytes));
      assert.deepEqual(jpegSize(bytes), { width: 640, height: 960 }); // stored sideways

      const { photo, profile: updated } = await addPhoto(deps(world), {
        profileId: profile.id,
        wallet,
        bytes,
        contentType: "image/jpeg",
      });
      assert.deepEqual(updated.photos.map((p) => p.id), [photo.id]);
      assert.deepEqual({ width: photo.width, height: photo.height }, { width: 960, height: 640 });
      assert.deepEqual((await allKeys(world)).sort(), renditionKeys(profile.id, photo.id).sort());

      for (const name of ["full", "card", "thumb"] as const) {
        const stored = await readObject(world.objects, renditionKey(profile.id, photo.id, name));
        assert.equal(hasExif(stored), false, `${name} keeps EXIF`);
        const size = jpegSize(stored);
        assert.ok(
          size.width > size.height,
          `${name} is not turned upright: ${JSON.stringify(size)}`,
        );
        assert.deepEqual(size, photo.renditions[name]);
        const head = await world.objects.head(renditionKey(profile.id, photo.id, name));
        assert.equal(head?.contentType, "image/jpeg");
      }
      // The full rendition shows the upright picture, not a turned or mirrored one.
      const full = await readObject(world.objects, renditionKey(profile.id, photo.id, "full"));
      const decoded = await ml.mlInternals.decodeRgb(full);
      const straight = meanDifference(decoded, upright);
      assert.ok(straight < 8, `upright difference ${straight}`);
      assert.ok(meanDifference(decoded, rotate180(upright)) > 3 * straight);

      // A member without a match is given the blurred thumbnail; the owner the photo itself.
      const stranger = await admittedMember(world.kv, world.clock);
      const forStranger = photoForViewer(updated, photo.id, stranger, false);
      assert.equal(forStranger.rendition, "thumb");
      assert.equal(forStranger.blurred, true);
      assert.equal(forStranger.key, renditionKey(profile.id, photo.id, "thumb"));
      const thumb = await readObject(world.objects, forStranger.key);
      assert.ok(jpegSize(thumb).width <= 96);
      assert.equal(photoForViewer(updated, photo.id, stranger, true).rendition, "full");
      assert.equal(photoForViewer(updated, photo.id, wallet, false, "card").rendition, "card");
    });
  });
}

Deno.test("[profiles] wrong type → 415, oversized → 413, corrupt → 422; none leaves anything", async () => {
  await withWorld(async (world) => {
    const { plain } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const { versionstamp } = await world.kv.get(["profiles", profile.id]);
    const upload = (bytes: Uint8Array, contentType: string) =>
      addPhoto(deps(world), { profileId: profile.id, wallet, bytes, contentType }).then(
        () => assert.fail("accepted"),
        (error) => error,
      );

    for (const type of ["image/gif", "image/webp", "text/plain", ""]) {
      const error = await upload(plain, type);
      assert.ok(error instanceof UnsupportedMediaTypeError, String(error));
      assert.equal(error.code, "photo_type_unsupported");
    }
    const mismatch = await upload(plain, "image/png");
    assert.ok(mismatch instanceof UnsupportedMediaTypeError);
    assert.equal(mismatch.code, "photo_type_mismatch");

    const huge = await upload(new Uint8Array(MAX_PHOTO_BYTES + 1), "image/jpeg");
    assert.ok(huge instanceof PayloadTooLargeError);
    assert.equal(huge.code, "photo_too_large");

    const garbage = new Uint8Array(4096).map((_, i) => (i * 151 + 7) & 255);
    garbage.set([0xff, 0xd8, 0xff, 0xe0]);
    const truncated = plain.slice(0, 600);
    const pngHeaderOnly = (await encodePng(scene(64, 64))).slice(0, 40);
    for (
      const [bytes, type] of [[garbage, "image/jpeg"], [truncated, "image/jpeg"], [
        pngHeaderOnly,
        "image/png",
      ], [new Uint8Array(), "image/jpeg"]] as const
    ) {
      const error = await upload(bytes, type);
      assert.ok(error instanceof UnprocessableError, String(error));
      assert.equal(error.code, "photo_unreadable");
    }
    await assertUntouched(world, profile.id, versionstamp);
  });
});

Deno.test("[profiles] a photo without a face or too small → 422 naming the reason", async () => {
  await withWorld(async (world) => {
    const { upright } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const { versionstamp } = await world.kv.get(["profiles", profile.id]);
    const noFace = await addPhoto(deps(world), {
      profileId: profile.id,
      wallet,
      bytes: await encodePng(scene(640, 480)),
      contentType: "image/png",
    }).catch((e) => e);
    assert.ok(noFace instanceof UnprocessableError);
    assert.equal(noFace.code, "photo_no_face");

    const small = await ml.mlInternals.decodeRgb(await plainJpeg(upright), 0);
    const tiny = await ml.preparePhoto(await plainJpeg(small), [240], { blur: false });
    const tooSmall = await addPhoto(deps(world), {
      profileId: profile.id,
      wallet,
      bytes: tiny[0].jpeg,
      contentType: "image/jpeg",
    }).catch((e) => e);
    assert.ok(tooSmall instanceof UnprocessableError);
    assert.equal(tooSmall.code, "photo_too_small");
    await assertUntouched(world, profile.id, versionstamp);
  });
});

/** Wraps a store so that its `failOn`-th put throws like an unreachable S3. */
function failingStore(inner: ObjectStore, failOn: number): ObjectStore & { puts: number } {
  const store = Object.create(inner) as ObjectStore & { puts: number };
  store.puts = 0;
  store.put = (key, body, options) => {
    store.puts++;
    if (store.puts === failOn) {
      return Promise.reject(new ServiceUnavailableError("storage_unavailable", "S3 is down."));
    }
    return inner.put(key, body, options);
  };
  store.deleteMany = (keys) => inner.deleteMany(keys);
  return store;
}

Deno.test("[profiles] the store failing on the 2nd put leaves no objects and no profile change", async () => {
  await withWorld(async (world) => {
    const { plain } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const { versionstamp } = await world.kv.get(["profiles", profile.id]);
    const store = failingStore(world.objects, 2);
    const error = await addPhoto(deps(world, store), {
      profileId: profile.id,
      wallet,
      bytes: plain,
      contentType: "image/jpeg",
    }).catch((e) => e);
    assert.ok(error instanceof ServiceUnavailableError);
    assert.equal(error.code, "storage_unavailable");
    assert.equal(store.puts, 2);
    await assertUntouched(world, profile.id, versionstamp);
    assert.deepEqual((await getProfile(world, profile.id))?.photos, []);
  });
});

Deno.test("[profiles] a commit that fails after the objects are written removes them", async () => {
  await withWorld(async (world) => {
    const { plain } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const store = Object.create(world.objects) as ObjectStore;
    let puts = 0;
    store.put = async (key, body, options) => {
      const info = await world.objects.put(key, body, options);
      // The account is deleted while the upload is between its last object and its commit.
      if (++puts === 3) await deleteProfile(world, { profileId: profile.id, wallet });
      return info;
    };
    store.deleteMany = (keys) => world.objects.deleteMany(keys);
    await assert.rejects(
      () =>
        addPhoto(deps(world, store), {
          profileId: profile.id,
          wallet,
          bytes: plain,
          contentType: "image/jpeg",
        }),
      (error: Error & { code?: string }) => error.code === "profile_not_found",
    );
    assert.deepEqual(await allKeys(world), []);
    assert.equal((await readProfile(world.kv, profile.id)).profile, null);
  });
});

Deno.test("[profiles] six photos at most (also under concurrency); reorder; delete removes every rendition", async () => {
  await withWorld(async (world) => {
    const { plain } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const add = () =>
      addPhoto(deps(world), {
        profileId: profile.id,
        wallet,
        bytes: plain,
        contentType: "image/jpeg",
      });
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await add()).photo.id);
    const race = await Promise.allSettled([add(), add(), add()]);
    assert.equal(race.filter((r) => r.status === "fulfilled").length, 2);
    const lost = race.find((r) => r.status === "rejected") as PromiseRejectedResult;
    assert.ok(lost.reason instanceof ConflictError);
    assert.equal(lost.reason.code, "photo_limit");
    const full = (await readProfile(world.kv, profile.id)).profile!;
    assert.equal(full.photos.length, 6);
    assert.equal((await allKeys(world)).length, 18);

    const seventh = await add().catch((e) => e);
    assert.ok(seventh instanceof ConflictError);
    assert.equal(seventh.code, "photo_limit");
    assert.equal((await allKeys(world)).length, 18);

    const order = full.photos.map((p) => p.id).reverse();
    const reordered = await reorderPhotos(world, { profileId: profile.id, wallet, order });
    assert.deepEqual(reordered.photos.map((p) => p.id), order);
    for (const bad of [order.slice(1), [...order.slice(1), order[1]], [...order, order[0]]]) {
      const error = await reorderPhotos(world, { profileId: profile.id, wallet, order: bad })
        .catch((e) => e);
      assert.equal(error.code, "invalid_photo_order");
    }
    const other = await admittedMember(world.kv, world.clock);
    await assert.rejects(
      () => reorderPhotos(world, { profileId: profile.id, wallet: other, order }),
      ForbiddenError,
    );
    await assert.rejects(
      () => deletePhoto(world, { profileId: profile.id, wallet: other, photoId: order[0] }),
      ForbiddenError,
    );

    const removed = await deletePhoto(world, { profileId: profile.id, wallet, photoId: order[0] });
    assert.equal(removed.pendingCleanup, false);
    assert.equal(removed.profile.photos.length, 5);
    const keys = await allKeys(world);
    assert.equal(keys.length, 15);
    assert.ok(keys.every((key) => !key.includes(order[0])));
    assert.throws(() => photoForViewer(removed.profile, order[0], wallet, true), /No such photo/);

    assert.deepEqual(await deleteProfile(world, { profileId: profile.id, wallet }), {
      pendingCleanup: false,
    });
    assert.deepEqual(await allKeys(world), []);
  });
});

Deno.test("[profiles] the sweep removes unreferenced photo objects once past the grace period", async () => {
  await withWorld(async (world) => {
    const { plain } = await fixtures();
    const { wallet, profile } = await memberWithProfile(world);
    const { photo } = await addPhoto(deps(world), {
      profileId: profile.id,
      wallet,
      bytes: plain,
      contentType: "image/jpeg",
    });
    // A crash after the objects of an upload were written but before its commit:
    const crashed = renditionKeys(profile.id, "01HZZZZZZZZZZZZZZZZZZZZZZZ");
    // …and the objects of a profile whose record is gone.
    const gone = renditionKeys("01HYYYYYYYYYYYYYYYYYYYYYYY", "01HXXXXXXXXXXXXXXXXXXXXXXX");
    for (const key of [...crashed, ...gone]) {
      await world.objects.put(key, plain, { contentType: "image/jpeg" });
    }
    world.clock.advance(30 * 60 * 1000);
    assert.deepEqual((await sweepOrphanPhotos(world)).deleted, []); // might still be in flight
    world.clock.advance(31 * 60 * 1000);
    const { deleted } = await sweepOrphanPhotos(world);
    assert.deepEqual(deleted.sort(), [...crashed, ...gone].sort());
    assert.deepEqual((await allKeys(world)).sort(), renditionKeys(profile.id, photo.id).sort());
  });
});
