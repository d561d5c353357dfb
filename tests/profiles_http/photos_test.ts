import assert from "node:assert/strict";
import * as ml from "@/ml-wasm/mod.ts";
import { renditionKey } from "@/core/profiles/photo_keys.ts";
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
} from "@/tests/profiles/_photos.ts";
import { encodePng, scene } from "@/tests/ml/_images.ts";
import {
  allObjectKeys,
  as,
  block,
  bytesOf,
  createProfileOver,
  match,
  newMember,
  ORIGIN,
  sendJson,
  type TestApp,
  type TestMember,
  withApp,
} from "./_helpers.ts";

let upright: Pixels | null = null;
async function photo() {
  upright ??= await uprightPhoto();
  return upright;
}

/** Multipart upload of `bytes` as the form field `photo`. */
function multipart(member: TestMember, bytes: Uint8Array, type = "image/jpeg", field = "photo") {
  const form = new FormData();
  form.set(field, new File([bytes as Uint8Array<ArrayBuffer>], "me.jpg", { type }));
  return as(member, { method: "POST", body: form });
}

/** Raw-body upload of `bytes` with `type`. */
function raw(member: TestMember, bytes: Uint8Array, type = "image/jpeg") {
  return as(member, {
    method: "POST",
    headers: { "content-type": type },
    body: bytes as Uint8Array<ArrayBuffer>,
  });
}

const photoUrl = (profileId: string, photoId: string, size?: string) =>
  `/api/profiles/${profileId}/photos/${photoId}${size ? `?size=${size}` : ""}`;

async function stored(
  t: TestApp,
  profileId: string,
  photoId: string,
  name: "full" | "card" | "thumb",
) {
  return await readObject(t.app.deps.objects, renditionKey(profileId, photoId, name));
}

Deno.test("[photos http] an EXIF GPS + orientation JPEG: renditions upright without EXIF; strangers get the blurred thumbnail", async () => {
  await withApp(async (t) => {
    const [ada, bo, cy, di] = [
      await newMember(t),
      await newMember(t),
      await newMember(t),
      await newMember(t),
    ];
    const profile = await createProfileOver(t, ada);
    const bytes = await orientedJpeg(await photo(), 6);
    assert.ok(hasExif(bytes));

    const res = await t.fetch(`/api/profiles/${profile.id}/photos`, multipart(ada, bytes));
    assert.equal(res.status, 201, await res.clone().text());
    const body = await res.json();
    const photoId = body.photo.id;
    assert.deepEqual(body.photo, { id: photoId, blurred: false, width: 960, height: 640 });
    assert.deepEqual(body.profile.photos, [body.photo]);
    assert.deepEqual(
      await allObjectKeys(t.app.deps.objects),
      ["card", "full", "thumb"].map((n) => `profiles/${profile.id}/photos/${photoId}/${n}.jpg`),
    );

    // Every stored rendition: no EXIF, turned upright.
    for (const name of ["full", "card", "thumb"] as const) {
      const object = await stored(t, profile.id, photoId, name);
      assert.equal(hasExif(object), false, `${name} keeps EXIF`);
      const size = jpegSize(object);
      assert.ok(size.width > size.height, `${name} is not upright: ${JSON.stringify(size)}`);
    }
    const full = await stored(t, profile.id, photoId, "full");
    const decoded = await ml.mlInternals.decodeRgb(full);
    const straight = meanDifference(decoded, await photo());
    assert.ok(straight < 8, `upright difference ${straight}`);
    assert.ok(meanDifference(decoded, rotate180(await photo())) > 3 * straight);

    // The owner receives the photo itself, at either size.
    const own = await t.fetch(photoUrl(profile.id, photoId), as(ada));
    assert.equal(own.status, 200);
    assert.equal(own.headers.get("content-type"), "image/jpeg");
    assert.equal(
      own.headers.get("cache-control"),
      "private, no-store",
      "no expectation: not cached",
    );
    assert.equal(own.headers.get("x-photo-blurred"), "false");
    assert.deepEqual(await bytesOf(own), full);
    const card = await t.fetch(photoUrl(profile.id, photoId, "card"), as(ada));
    assert.deepEqual(await bytesOf(card), await stored(t, profile.id, photoId, "card"));

    // A member without a match receives the blurred thumbnail, whatever size they ask for.
    const thumb = await stored(t, profile.id, photoId, "thumb");
    for (const size of [undefined, "full", "card"]) {
      const res = await t.fetch(photoUrl(profile.id, photoId, size), as(bo));
      assert.equal(res.status, 200);
      assert.equal(res.headers.get("x-photo-blurred"), "true");
      const received = await bytesOf(res);
      assert.deepEqual(received, thumb);
      assert.equal(hasExif(received), false);
      assert.ok(jpegSize(received).width <= 96);
    }
    // The browser caches an answer only under a URL that says what it holds, so a blur is never
    // shown from cache after a match (nor a real photo after an unmatch).
    const cacheOf = async (v: string, who: typeof ada) => {
      const res = await t.fetch(`${photoUrl(profile.id, photoId, "card")}&v=${v}`, as(who));
      await res.body?.cancel();
      return res.headers.get("cache-control");
    };
    assert.equal(await cacheOf("open", ada), "private, max-age=300");
    assert.equal(await cacheOf("veiled", ada), "private, no-store");
    assert.equal(await cacheOf("veiled", bo), "private, max-age=300");
    assert.equal(await cacheOf("open", bo), "private, no-store");
    const badExpectation = await t.fetch(`${photoUrl(profile.id, photoId)}?v=maybe`, as(bo));
    assert.equal(badExpectation.status, 400);
    await badExpectation.body?.cancel();
    const view = await (await t.fetch(`/api/profiles/${profile.id}`, as(bo))).json();
    assert.deepEqual(view.photos, [{ id: photoId, blurred: true, ...jpegSize(thumb) }]);

    // ETag and 304; a byte range; a range past the end.
    const first = await t.fetch(photoUrl(profile.id, photoId), as(bo));
    const etag = first.headers.get("etag")!;
    await first.body?.cancel();
    const again = await t.fetch(
      photoUrl(profile.id, photoId),
      as(bo, { headers: { "if-none-match": etag } }),
    );
    assert.equal(again.status, 304);
    assert.equal(again.headers.get("etag"), etag);
    const part = await t.fetch(
      photoUrl(profile.id, photoId),
      as(ada, { headers: { range: "bytes=0-99" } }),
    );
    assert.equal(part.status, 206);
    assert.equal(part.headers.get("content-range"), `bytes 0-99/${full.length}`);
    assert.deepEqual(await bytesOf(part), full.subarray(0, 100));
    const past = await t.fetch(
      photoUrl(profile.id, photoId),
      as(ada, { headers: { range: `bytes=${full.length}-` } }),
    );
    assert.equal(past.status, 416);
    assert.equal(past.headers.get("content-range"), `bytes */${full.length}`);
    await past.body?.cancel();

    // A mutual match receives the photo; a blocked member nothing at all.
    await match(t, ada, cy);
    assert.deepEqual(await bytesOf(await t.fetch(photoUrl(profile.id, photoId), as(cy))), full);
    await block(t, di, ada);
    const blocked = await t.fetch(photoUrl(profile.id, photoId), as(di));
    assert.equal(blocked.status, 404);
    assert.equal((await blocked.json()).error.code, "photo_not_found");
    const bad = await t.fetch(photoUrl(profile.id, photoId, "huge"), as(ada));
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /^size:/);
  });
});

Deno.test("[photos http] raw-body upload, reorder, delete a photo, delete the profile: every rendition goes", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const bo = await newMember(t);
    const profile = await createProfileOver(t, ada);
    const plain = await plainJpeg(await photo());
    const ids: string[] = [];
    for (let i = 0; i < 2; i++) {
      const res = await t.fetch(`/api/profiles/${profile.id}/photos`, raw(ada, plain));
      assert.equal(res.status, 201);
      ids.push((await res.json()).photo.id);
    }
    assert.equal((await allObjectKeys(t.app.deps.objects)).length, 6);

    const order = `/api/profiles/${profile.id}/photos/order`;
    const reordered = await t.fetch(order, sendJson("PUT", { order: [ids[1], ids[0]] }, ada));
    assert.equal(reordered.status, 200);
    assert.deepEqual((await reordered.json()).photos.map((p: { id: string }) => p.id), [
      ids[1],
      ids[0],
    ]);
    const wrong = await t.fetch(order, sendJson("PUT", { order: [ids[0]] }, ada));
    assert.equal(wrong.status, 400);
    assert.equal((await wrong.json()).error.code, "invalid_photo_order");
    const malformed = await t.fetch(order, sendJson("PUT", { order: "nope" }, ada));
    assert.equal(malformed.status, 400);
    assert.match((await malformed.json()).error.message, /^order:/);

    const other = await t.fetch(
      `/api/profiles/${profile.id}/photos/${ids[0]}`,
      as(bo, { method: "DELETE" }),
    );
    assert.equal(other.status, 403);
    await other.body?.cancel();
    const del = await t.fetch(
      `/api/profiles/${profile.id}/photos/${ids[0]}`,
      as(ada, { method: "DELETE" }),
    );
    assert.equal(del.status, 204);
    assert.deepEqual(
      await allObjectKeys(t.app.deps.objects),
      ["card", "full", "thumb"].map((n) => `profiles/${profile.id}/photos/${ids[1]}/${n}.jpg`),
    );
    const gone = await t.fetch(photoUrl(profile.id, ids[0]), as(ada));
    assert.equal(gone.status, 404);
    await gone.body?.cancel();
    const again = await t.fetch(
      `/api/profiles/${profile.id}/photos/${ids[0]}`,
      as(ada, { method: "DELETE" }),
    );
    assert.equal(again.status, 404);
    await again.body?.cancel();

    const account = await t.fetch(`/api/profiles/${profile.id}`, as(ada, { method: "DELETE" }));
    assert.equal(account.status, 204);
    assert.deepEqual(await allObjectKeys(t.app.deps.objects), []);
  });
});

Deno.test("[photos http] oversized → 413, wrong type → 415, corrupt → 422; none leaves objects or records", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const bo = await newMember(t);
    const profile = await createProfileOver(t, ada);
    const before = await t.kv.get(["profiles", profile.id]);
    const plain = await plainJpeg(await photo());
    const huge = new Uint8Array(11 * 1024 * 1024);
    huge.set(plain);
    const corrupt = plain.slice(0, 2000);
    const tiny = await plainJpeg({
      width: 100,
      height: 100,
      data: new Uint8Array(100 * 100 * 3).fill(128),
    });
    const png = await encodePng(scene(480, 360));
    const url = `/api/profiles/${profile.id}/photos`;

    const cases: [string, RequestInit, number, string, RegExp?][] = [
      ["raw oversized", raw(ada, huge), 413, "body_too_large"],
      ["multipart oversized", multipart(ada, huge), 413, "body_too_large"],
      [
        "raw text",
        raw(ada, new TextEncoder().encode("hello"), "text/plain"),
        415,
        "photo_type_unsupported",
      ],
      ["multipart gif", multipart(ada, plain, "image/gif"), 415, "photo_type_unsupported"],
      ["png declared jpeg", raw(ada, png, "image/jpeg"), 415, "photo_type_mismatch"],
      ["truncated jpeg", raw(ada, corrupt), 422, "photo_unreadable", /not a readable photo \(.+\)/],
      ["garbage", raw(ada, crypto.getRandomValues(new Uint8Array(4096))), 422, "photo_unreadable"],
      ["empty", raw(ada, new Uint8Array(0)), 422, "photo_unreadable", /empty/],
      ["too small", raw(ada, tiny), 422, "photo_too_small", /320 px/],
      ["no face", raw(ada, png, "image/png"), 422, "photo_no_face", /face/],
      ["no photo field", multipart(ada, plain, "image/jpeg", "file"), 400, "photo_missing"],
      ["someone else's profile", raw(bo, plain), 403, "profile_not_owner"],
    ];
    for (const [name, init, status, code, message] of cases) {
      const res = await t.fetch(url, init);
      assert.equal(res.status, status, name);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/, name);
      const { error } = await res.json();
      assert.equal(error.code, code, `${name}: ${error.message}`);
      if (message) assert.match(error.message, message, name);
      assert.deepEqual(await allObjectKeys(t.app.deps.objects), [], `${name} left objects`);
      const after = await t.kv.get(["profiles", profile.id]);
      assert.equal(after.versionstamp, before.versionstamp, `${name} changed the profile`);
    }
  });
});

Deno.test("[photos http] photos are served only through the authorizing route (no storage URL in any view)", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const profile = await createProfileOver(t, ada);
    const res = await t.fetch(
      `/api/profiles/${profile.id}/photos`,
      raw(ada, await plainJpeg(await photo())),
    );
    const text = await res.text();
    assert.doesNotMatch(text, /profiles\/[^"]+\.jpg|\/api\/(objects|storage)\//);
    const { photo: added } = JSON.parse(text);
    // The raw object key is not reachable through the storage route: not without a valid
    // signature, and not as a member's own object (not even the owner's).
    const key = `profiles/${profile.id}/photos/${added.id}/full.jpg`;
    const forged = await t.fetch(`/api/storage/${key}?exp=9999999999&sig=x`, {
      headers: { origin: ORIGIN },
    });
    assert.equal(forged.status, 403);
    assert.equal((await forged.json()).error.code, "signed_url_invalid");
    const unsigned = await t.fetch(`/api/storage/${key}`, as(ada));
    assert.equal(unsigned.status, 404);
    assert.equal((await unsigned.json()).error.code, "object_not_found");
  });
});

Deno.test("[photos http] the old photo address redirects permanently to the profile's photo, query kept", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const profile = await createProfileOver(t, ada);
    const res = await t.fetch(
      `/api/profiles/${profile.id}/photos`,
      raw(ada, await plainJpeg(await photo())),
    );
    assert.equal(res.status, 201);
    const { photo: added } = await res.json();
    const canonical = `/api/profiles/${profile.id}/photos/${added.id}?size=card`;

    const old = await t.fetch(`/api/photos/${profile.id}/${added.id}?size=card`, as(ada));
    assert.equal(old.status, 308);
    assert.equal(old.headers.get("location"), canonical);
    await old.body?.cancel();
    const served = await t.fetch(canonical, as(ada));
    assert.equal(served.status, 200);
    assert.equal(served.headers.get("content-type"), "image/jpeg");
    assert.deepEqual(await bytesOf(served), await stored(t, profile.id, added.id, "card"));

    // Any method is redirected (308 keeps it); signed out, the old address is refused as before.
    const remove = await t.fetch(
      `/api/photos/${profile.id}/${added.id}`,
      as(ada, { method: "DELETE" }),
    );
    assert.equal(remove.status, 308);
    assert.equal(remove.headers.get("location"), `/api/profiles/${profile.id}/photos/${added.id}`);
    await remove.body?.cancel();
    const anonymous = await t.fetch(`/api/photos/${profile.id}/${added.id}`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});
