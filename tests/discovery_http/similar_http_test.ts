/** `GET /api/attractiveness/similar` and `PUT /api/attractiveness/style` over HTTP on the real app. */
import assert from "node:assert/strict";
import { indexPhoto } from "@/core/discovery/mod.ts";
import { profileKey, readProfile } from "@/core/profiles/mod.ts";
import { type PhotoAnalysis, setPhotoAnalysis } from "@/core/scoring/photo_analysis.ts";
import { blockMember } from "@/core/social/mod.ts";
import { ulid } from "@/core/ulid.ts";
import {
  call,
  memberWithProfile,
  type TestApp,
  type TestMember,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";

type Member = TestMember & { profileId: string };

/** A unit-ish int8 vector: `base` moved `amount` of the way towards `towards`. */
function blend(base: number[], towards: number[], amount: number): number[] {
  return base.map((b, i) => Math.round(b * (1 - amount) + towards[i] * amount));
}

const BASE = Array.from({ length: 256 }, (_, i) => Math.round(100 * Math.sin(i * 0.37)));
const OTHER = Array.from({ length: 256 }, (_, i) => Math.round(100 * Math.cos(i * 1.91 + 2)));

/** Gives `member` one analysed photo with embedding `values`, indexed in the app's vector store. */
async function photoWith(t: TestApp, member: Member, values: number[]): Promise<string> {
  const { kv, clock } = t.app.deps;
  const photoId = ulid(clock);
  const { profile, versionstamp } = await readProfile(kv, member.profileId);
  assert.ok(profile && versionstamp);
  const side = { width: 640, height: 800 };
  const record = {
    id: photoId,
    createdAt: clock.now(),
    ...side,
    renditions: { full: side, card: side, thumb: { width: 160, height: 200 } },
  };
  const analysis: PhotoAnalysis = {
    photoId,
    profileId: member.profileId,
    features: {},
    flags: [],
    faceCount: 1,
    embedding: { scale: 1, values },
    analyzedAt: clock.now(),
  };
  const op = kv.atomic().check({ key: profileKey(member.profileId), versionstamp })
    .set(profileKey(member.profileId), { ...profile, photos: [...profile.photos, record] });
  setPhotoAnalysis(op, analysis);
  assert.ok((await op.commit()).ok);
  await indexPhoto(t.app.deps, analysis);
  return photoId;
}

async function optIn(t: TestApp, member: Member, value = true) {
  const res = await call(t, "PUT", "/api/attractiveness/style", member, { optIn: value });
  assert.equal(res.status, 200);
  assert.deepEqual(res.body, { optIn: value });
}

const similar = (t: TestApp, viewer: Member, query: string) =>
  call(t, "GET", `/api/attractiveness/similar?${query}`, viewer);

Deno.test("[vectors] similar style: opted-in members best first, with card photo URLs; the viewer, the profile and blocked members left out", async () => {
  await withSocialApp(async (t) => {
    const [viewer, target, near, middle, far, shy, blocker, blocked] = await Promise.all(
      Array.from({ length: 8 }, (_, i) => memberWithProfile(t, { displayName: `Member ${i}` })),
    );
    await photoWith(t, target, BASE);
    await photoWith(t, viewer, BASE); // identical style, but the viewer is never suggested
    const nearPhoto = await photoWith(t, near, blend(BASE, OTHER, 0.1));
    await photoWith(t, middle, blend(BASE, OTHER, 0.5));
    const middleBest = await photoWith(t, middle, blend(BASE, OTHER, 0.3));
    await photoWith(t, far, blend(BASE, OTHER, 0.8));
    await photoWith(t, shy, BASE); // never opted in
    await photoWith(t, blocker, BASE);
    await photoWith(t, blocked, BASE);
    for (const m of [viewer, target, near, middle, far, blocker, blocked]) await optIn(t, m);
    await blockMember(t.app.deps.kv, t.app.deps.clock, blocker.wallet, viewer.wallet);
    await blockMember(t.app.deps.kv, t.app.deps.clock, viewer.wallet, blocked.wallet);

    const res = await similar(t, viewer, `profileId=${target.profileId}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const list = res.body.similar;
    assert.deepEqual(list.map((s: { profileId: string }) => s.profileId), [
      near.profileId,
      middle.profileId,
      far.profileId,
    ]);
    assert.equal(list[0].displayName, "Member 2");
    assert.equal(list[0].photo, `/api/profiles/${near.profileId}/photos/${nearPhoto}?size=card`);
    assert.equal(list[1].photo, `/api/profiles/${middle.profileId}/photos/${middleBest}?size=card`);
    assert.ok(list[0].similarity > list[1].similarity && list[1].similarity > list[2].similarity);
    assert.ok(list[0].similarity <= 1 && list[2].similarity > -1);

    const one = await similar(t, viewer, `profileId=${target.profileId}&limit=1`);
    assert.deepEqual(one.body.similar.map((s: { profileId: string }) => s.profileId), [
      near.profileId,
    ]);

    // Opting out removes a member everywhere; opting back in restores them.
    await optIn(t, near, false);
    const after = await similar(t, viewer, `profileId=${target.profileId}`);
    assert.deepEqual(after.body.similar.map((s: { profileId: string }) => s.profileId), [
      middle.profileId,
      far.profileId,
    ]);
  });
});

Deno.test("[vectors] similar style: an empty list is a valid answer", async () => {
  await withSocialApp(async (t) => {
    const [viewer, target, other] = await Promise.all(
      [0, 1, 2].map(() => memberWithProfile(t)),
    );
    // No analysed photo on the target yet.
    let res = await similar(t, viewer, `profileId=${target.profileId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { similar: [] });
    // Photos, but nobody opted in.
    await photoWith(t, target, BASE);
    await photoWith(t, other, BASE);
    res = await similar(t, viewer, `profileId=${target.profileId}`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { similar: [] });
  });
});

Deno.test("[vectors] similar style: refusals (unknown or blocked profile 404, bad query and body 400, JSON)", async () => {
  await withSocialApp(async (t) => {
    const [viewer, target] = await Promise.all([0, 1].map(() => memberWithProfile(t)));
    const unknown = await similar(t, viewer, "profileId=01JZZZZZZZZZZZZZZZZZZZZZZZ");
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code ?? unknown.body.code, "profile_not_found");
    for (
      const query of [
        "",
        "profileId=",
        "profileId=a/b",
        `profileId=${target.profileId}&limit=0`,
        `profileId=${target.profileId}&limit=x`,
        `profileId=${target.profileId}&extra=1`,
      ]
    ) {
      const res = await similar(t, viewer, query);
      assert.equal(res.status, 400, query);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    }
    for (const body of [{}, { optIn: "yes" }, { optIn: true, more: 1 }]) {
      const res = await call(t, "PUT", "/api/attractiveness/style", viewer, body);
      assert.equal(res.status, 400, JSON.stringify(body));
    }
    await blockMember(t.app.deps.kv, t.app.deps.clock, target.wallet, viewer.wallet);
    assert.equal((await similar(t, viewer, `profileId=${target.profileId}`)).status, 404);
    const anonymous = await t.fetch(`/api/attractiveness/similar?profileId=${target.profileId}`);
    assert.equal(anonymous.status, 401);
    await anonymous.body?.cancel();
  });
});
