/**
 * "Who I want to meet" over HTTP on the real app: a hard filter both ways in every listing that
 * proposes members (list, discovery list, the vault, recommendations, today's circle, similar
 * style), and never a ranking input.
 */
import assert from "node:assert/strict";
import { indexPhoto } from "@/core/discovery/mod.ts";
import { profileKey, readProfile } from "@/core/profiles/mod.ts";
import { type PhotoAnalysis, setPhotoAnalysis } from "@/core/scoring/photo_analysis.ts";
import { ulid } from "@/core/ulid.ts";
import {
  call,
  memberWithProfile,
  type TestApp,
  type TestMember,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";

type Member = TestMember & { profileId: string };

const STYLE = Array.from({ length: 256 }, (_, i) => Math.round(100 * Math.sin(i * 0.37)));

/** Gives `member` one analysed main photo (the same style for all), indexed for similar style. */
async function analysedPhoto(t: TestApp, member: Member): Promise<void> {
  const { kv, clock } = t.app.deps;
  const photoId = ulid(clock);
  const { profile, versionstamp } = await readProfile(kv, member.profileId);
  assert.ok(profile && versionstamp);
  const side = { width: 640, height: 800 };
  const analysis: PhotoAnalysis = {
    photoId,
    profileId: member.profileId,
    features: { sharpness: 0.5, contrast: 0.5 },
    flags: [],
    faceCount: 1,
    embedding: { scale: 1, values: STYLE },
    analyzedAt: clock.now(),
  };
  const photo = {
    id: photoId,
    createdAt: clock.now(),
    ...side,
    renditions: { full: side, card: side, thumb: { width: 160, height: 200 } },
    soloFace: true,
  };
  const op = kv.atomic().check({ key: profileKey(member.profileId), versionstamp })
    .set(profileKey(member.profileId), { ...profile, photos: [photo] });
  setPhotoAnalysis(op, analysis);
  assert.ok((await op.commit()).ok);
  await indexPhoto(t.app.deps, analysis);
  const optIn = await call(t, "PUT", "/api/attractiveness/style", member, { optIn: true });
  assert.equal(optIn.status, 200);
}

const ids = (values: { id?: string; profileId?: string }[]) =>
  values.map((v) => v.id ?? v.profileId).sort();

Deno.test("[discovery] every listing keeps only members who each want to meet the other", async () => {
  await withSocialApp(async (t) => {
    const viewer = await memberWithProfile(t, {
      displayName: "Viewer",
      gender: "woman",
      interestedIn: ["man", "non_binary"],
    });
    const wanted = [
      await memberWithProfile(t, {
        displayName: "Wanted1",
        gender: "man",
        interestedIn: ["woman"],
      }),
      await memberWithProfile(t, { displayName: "Wanted2", gender: "non_binary" }),
    ];
    const unwanted = [
      // The viewer wants men, but he does not want women.
      await memberWithProfile(t, {
        displayName: "Unwanted1",
        gender: "man",
        interestedIn: ["man"],
      }),
      // She wants women, but the viewer does not want women.
      await memberWithProfile(t, { displayName: "Unwanted2", gender: "woman" }),
    ];
    const everyone = [...wanted, ...unwanted];
    for (const m of [viewer, ...everyone]) await analysedPhoto(t, m);
    const expected = wanted.map((m) => m.profileId).sort();

    for (const path of ["/api/profiles", "/api/discovery/profiles"]) {
      const res = await call(t, "GET", path, viewer);
      assert.equal(res.status, 200);
      assert.deepEqual(ids(res.body.values), expected, path);
    }
    const recommended = await call(t, "GET", "/api/discovery/recommended", viewer);
    assert.equal(recommended.status, 200);
    assert.deepEqual(ids(recommended.body.values), expected);
    const today = await call(t, "GET", "/api/discovery/today", viewer);
    assert.equal(today.status, 200);
    assert.deepEqual(ids(today.body.values), expected);
    const similar = await call(
      t,
      "GET",
      `/api/attractiveness/similar?profileId=${viewer.profileId}&limit=10`,
      viewer,
    );
    assert.equal(similar.status, 200, JSON.stringify(similar.body));
    assert.deepEqual(ids(similar.body.similar), expected);

    const vault = await t.fetch("/vault", {
      headers: { cookie: `aurum_session=${viewer.cookie}` },
    });
    assert.equal(vault.status, 200);
    const html = await vault.text();
    for (const m of wanted) assert.ok(html.includes(`/members/${m.profileId}`));
    for (const m of unwanted) assert.ok(!html.includes(`/members/${m.profileId}`));

    // The other way round: a member the viewer does not want never sees the viewer either.
    const back = await call(t, "GET", "/api/discovery/recommended", unwanted[1]);
    assert.ok(!ids(back.body.values).includes(viewer.profileId));
    const forward = await call(t, "GET", "/api/profiles", wanted[0]);
    assert.ok(ids(forward.body.values).includes(viewer.profileId));

    // Changing who one wants to meet changes today's circle at once (the stored ids are checked).
    const changed = await call(t, "PUT", `/api/profiles/${wanted[0].profileId}`, wanted[0], {
      interestedIn: ["man"],
    });
    assert.equal(changed.status, 200);
    const later = await call(t, "GET", "/api/discovery/today", viewer);
    assert.deepEqual(ids(later.body.values), [wanted[1].profileId]);
  });
});

Deno.test("[discovery] a profile without the new details is proposed to no one and sees no one", async () => {
  await withSocialApp(async (t) => {
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    const legacy = await memberWithProfile(t, { displayName: "Legacy" });
    const { kv } = t.app.deps;
    const { profile } = await readProfile(kv, legacy.profileId);
    assert.ok(profile);
    const { gender: _g, interestedIn: _i, region: _r, city: _c, ...old } = profile;
    await kv.set(profileKey(legacy.profileId), old);
    for (const path of ["/api/profiles", "/api/discovery/recommended", "/api/discovery/today"]) {
      const seen = await call(t, "GET", path, viewer);
      assert.equal(seen.status, 200);
      assert.ok(!ids(seen.body.values).includes(legacy.profileId), path);
      const sees = await call(t, "GET", path, legacy);
      assert.equal(sees.status, 200);
      assert.deepEqual(sees.body.values, [], path);
    }
  });
});
