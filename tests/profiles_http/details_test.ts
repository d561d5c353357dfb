/**
 * The dating details over HTTP on the real app: validation through the API, the "a few more
 * details" step that profiles made before them are sent to (and back from, by `next`), the main
 * photo rule with real photos (upload and reorder), the vault asking for a main photo, the export.
 */
import assert from "node:assert/strict";
import { profileKey, readProfile } from "@/core/profiles/mod.ts";
import { DEMO_DIR } from "@/tests/ml/_images.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";
import {
  as,
  createProfileOver,
  newMember,
  ORIGIN,
  recordMainPhoto,
  sendJson,
  type TestApp,
  type TestMember,
  validInput,
  withApp,
} from "./_helpers.ts";

/** Takes the new details out of `member`'s stored profile, as a profile made before them. */
async function makeLegacy(t: TestApp, profileId: string): Promise<void> {
  const { kv } = t.app.deps;
  const { profile } = await readProfile(kv, profileId);
  assert.ok(profile);
  const { gender: _g, interestedIn: _i, region: _r, city: _c, ...old } = profile;
  await kv.set(profileKey(profileId), old);
}

/** A form post as a browser sends it without JavaScript. */
function formPost(member: TestMember, fields: [string, string][]): RequestInit {
  return as(member, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

const upload = (t: TestApp, member: TestMember, profileId: string, bytes: Uint8Array) =>
  t.fetch(
    `/api/profiles/${profileId}/photos`,
    as(member, {
      method: "POST",
      headers: { "content-type": "image/jpeg" },
      body: bytes as Uint8Array<ArrayBuffer>,
    }),
  );

Deno.test("[profiles http] the new fields: 400 with the field named for bad or missing ones, nothing stored", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    for (
      const [overrides, message] of [
        [{ gender: undefined }, "gender: is required"],
        [{ gender: "robot" }, "gender: must be woman, man or non_binary"],
        [{ interestedIn: [] }, "interestedIn: choose at least one"],
        [{ region: "51.5074,-0.1278" }, "region: must be one of the listed regions"],
        [{ city: "c".repeat(61) }, "city: must be at most 60 characters"],
      ] as const
    ) {
      const res = await t.fetch("/api/profiles", sendJson("POST", validInput(overrides), ada));
      assert.equal(res.status, 400);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      const body = await res.json();
      assert.equal(body.error.code, "invalid_profile");
      assert.equal(body.error.message, message);
    }
    const none = await t.fetch("/api/profiles/me", as(ada));
    assert.equal(none.status, 404);
    await none.body?.cancel();
    // University is optional now.
    const created = await t.fetch(
      "/api/profiles",
      sendJson("POST", validInput({ university: undefined, graduationYear: undefined }), ada),
    );
    assert.equal(created.status, 201);
    const { profile } = await created.json();
    assert.equal(profile.university, "");
    assert.equal(profile.graduationYear, null);
    assert.equal(profile.gender, "woman");
    assert.deepEqual(profile.interestedIn, ["everyone"]);
  });
});

Deno.test("[profiles http] a profile without the details is sent to the details step and back to where it was going", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const { id } = await createProfileOver(t, ada);
    await recordMainPhoto(t, ada);
    await makeLegacy(t, id);

    for (const path of ["/vault?tag=poet", "/events", `/members/${id}`, "/profile/edit"]) {
      const res = await t.fetch(path, as(ada, { redirect: "manual" }));
      assert.equal(res.status, 303, path);
      assert.equal(
        res.headers.get("location"),
        `/profile/details?next=${encodeURIComponent(path)}`,
      );
      await res.body?.cancel();
    }
    // APIs are never redirected.
    const api = await t.fetch("/api/profiles/me", as(ada));
    assert.equal(api.status, 200);
    await api.body?.cancel();

    const page = await t.fetch("/profile/details?next=%2Fvault%3Ftag%3Dpoet", as(ada));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /A few more details/);
    assert.match(html, /other members don(&#39;|')t see you/);
    assert.match(html, /name="next" value="\/vault\?tag=poet"/);

    // Missing choices: 400, the page again with plain messages, nothing saved.
    const refused = await t.fetch(
      "/profile/details",
      formPost(ada, [["next", "/vault?tag=poet"], ["city", "Porto"]]),
    );
    assert.equal(refused.status, 400);
    const again = await refused.text();
    assert.match(again, /Choose the one that fits you\./);
    assert.match(again, /Choose who you want to meet\./);
    assert.match(again, /Choose your region\./);
    assert.match(again, /value="Porto"/);
    assert.equal((await readProfile(t.app.deps.kv, id)).profile?.gender, null);

    const saved = await t.fetch(
      "/profile/details",
      formPost(ada, [
        ["next", "/vault?tag=poet"],
        ["gender", "non_binary"],
        ["interestedIn", "woman"],
        ["interestedIn", "non_binary"],
        ["city", " Porto "],
        ["region", "europe"],
      ]),
    );
    assert.equal(saved.status, 303);
    assert.equal(saved.headers.get("location"), "/vault?tag=poet");
    const { profile } = await readProfile(t.app.deps.kv, id);
    assert.equal(profile?.gender, "non_binary");
    assert.deepEqual(profile?.interestedIn, ["woman", "non_binary"]);
    assert.equal(profile?.city, "Porto");
    assert.equal(profile?.region, "europe");
    const vault = await t.fetch("/vault?tag=poet", as(ada));
    assert.equal(vault.status, 200);
    await vault.body?.cancel();
  });
});

Deno.test("[profiles http] the details step only follows same-site paths", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const { id } = await createProfileOver(t, ada);
    for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "vault"]) {
      await makeLegacy(t, id);
      const res = await t.fetch(
        "/profile/details",
        formPost(ada, [
          ["next", next],
          ["gender", "man"],
          ["interestedIn", "everyone"],
          ["region", "oceania"],
        ]),
      );
      assert.equal(res.status, 303, next);
      assert.equal(res.headers.get("location"), "/vault", next);
      await res.body?.cancel();
    }
    // Once given, the step sends the member straight on.
    const done = await t.fetch("/profile/details?next=%2Fevents", as(ada, { redirect: "manual" }));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/events");
    await done.body?.cancel();
  });
});

Deno.test("[profiles http] the vault leads a member without a main photo back to the photo step", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    const { id } = await createProfileOver(t, ada);
    const vault = await t.fetch("/vault", as(ada, { redirect: "manual" }));
    assert.equal(vault.status, 303);
    assert.equal(vault.headers.get("location"), "/onboarding");
    await vault.body?.cancel();
    const onboarding = await t.fetch("/onboarding", as(ada));
    assert.equal(onboarding.status, 200);
    assert.match(await onboarding.text(), /data-step="3"/);

    // A group photo is refused as the main photo over HTTP, with the plain message.
    const group = await upload(t, ada, id, await Deno.readFile(new URL("sample1.jpg", DEMO_DIR)));
    assert.equal(group.status, 422);
    const refusal = await group.json();
    assert.equal(refusal.error.code, "photo_main_not_solo");
    assert.equal(
      refusal.error.message,
      "Your main photo should show just you — add group photos further down.",
    );
    const solo = await upload(t, ada, id, await plainJpeg(await uprightPhoto()));
    assert.equal(solo.status, 201);
    const soloId = (await solo.json()).photo.id;
    const later = await upload(t, ada, id, await Deno.readFile(new URL("sample3.jpg", DEMO_DIR)));
    assert.equal(later.status, 201);
    const groupId = (await later.json()).photo.id;

    // Reordering the group photo into the main slot is refused too, and changes nothing.
    const order = `/api/profiles/${id}/photos/order`;
    const moved = await t.fetch(order, sendJson("PUT", { order: [groupId, soloId] }, ada));
    assert.equal(moved.status, 422);
    assert.equal((await moved.json()).error.code, "photo_main_not_solo");
    const { profile } = await readProfile(t.app.deps.kv, id);
    assert.deepEqual(profile?.photos.map((p) => p.id), [soloId, groupId]);

    const opened = await t.fetch("/vault", as(ada, { redirect: "manual" }));
    assert.equal(opened.status, 200);
    await opened.body?.cancel();
    const done = await t.fetch("/onboarding", as(ada, { redirect: "manual" }));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/vault");
    await done.body?.cancel();
  });
});

Deno.test("[profiles http] the export holds gender, who they want to meet, city and region", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    await createProfileOver(t, ada, { city: "Lisbon", gender: "man", interestedIn: ["woman"] });
    const res = await t.fetch("/api/me/export", as(ada));
    assert.equal(res.status, 200);
    const { profile } = await res.json();
    assert.equal(profile.gender, "man");
    assert.deepEqual(profile.interestedIn, ["woman"]);
    assert.equal(profile.city, "Lisbon");
    assert.equal(profile.region, "europe");
  });
});
