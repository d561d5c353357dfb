/** The discovery API over HTTP on the real app: list, saved filters, passes, recommendations, today. */
import assert from "node:assert/strict";
import { profileKey, readProfile } from "@/core/profiles/mod.ts";
import { type PhotoAnalysis, setPhotoAnalysis } from "@/core/scoring/photo_analysis.ts";
import { ulid } from "@/core/ulid.ts";
import { createManualClock } from "@/core/clock.ts";
import { NOW } from "@/tests/profiles/_helpers.ts";
import { countEntries } from "@/tests/profiles_http/_helpers.ts";
import { yearsAgo } from "@/tests/profiles_http/_helpers.ts";
import {
  call,
  memberWithProfile,
  recordMainPhoto,
  type TestApp,
  type TestMember,
  withSocialApp,
} from "@/tests/social_http/_helpers.ts";
import { blockMember, sendSignal } from "@/core/social/mod.ts";

type Member = TestMember & { profileId: string };

/** Gives `member` one analysed main photo with `features`. */
async function photoWith(t: TestApp, member: Member, features: Record<string, number>) {
  const { kv, clock } = t.app.deps;
  const photoId = ulid(clock);
  const { profile, versionstamp } = await readProfile(kv, member.profileId);
  assert.ok(profile && versionstamp);
  const side = { width: 640, height: 800 };
  const analysis: PhotoAnalysis = {
    photoId,
    profileId: member.profileId,
    features,
    flags: [],
    faceCount: 1,
    embedding: { scale: 1, values: Array.from({ length: 256 }, (_, i) => (i * 7) % 100 - 50) },
    analyzedAt: clock.now(),
  };
  const op = kv.atomic().check({ key: profileKey(member.profileId), versionstamp })
    .set(profileKey(member.profileId), {
      ...profile,
      photos: [{
        id: photoId,
        createdAt: clock.now(),
        ...side,
        renditions: { full: side, card: side, thumb: { width: 160, height: 200 } },
      }],
    });
  setPhotoAnalysis(op, analysis);
  assert.ok((await op.commit()).ok);
}

const ids = (body: { values: { id: string }[] }) => body.values.map((v) => v.id).sort();

Deno.test("[discovery] GET /api/discovery/profiles answers as GET /api/profiles; bad queries are 400", async () => {
  await withSocialApp(async (t) => {
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    const a = await memberWithProfile(t, {
      displayName: "Ana",
      vibeTags: ["chess", "foodie", "memes"],
    });
    const b = await memberWithProfile(t, { displayName: "Bo" });
    const both = [a.profileId, b.profileId].sort();
    for (const path of ["/api/discovery/profiles", "/api/profiles"]) {
      const res = await call(t, "GET", path, viewer);
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/);
      assert.deepEqual(ids(res.body), both);
      assert.equal(res.body.cursor, "");
      assert.deepEqual(res.body.signals, { [a.profileId]: "none", [b.profileId]: "none" });
      const filtered = await call(t, "GET", `${path}?tag=foodie`, viewer);
      assert.deepEqual(ids(filtered.body), [a.profileId]);
      const bad = await call(t, "GET", `${path}?limit=0`, viewer);
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, "invalid_query");
    }
    // A page view is one impression record.
    assert.equal(await countEntries(t.app.deps.kv, ["discovery_impressions"]), 4);
  });
});

Deno.test("[discovery] saved filters apply to the list and the vault when the request gives none", async () => {
  await withSocialApp(async (t) => {
    const { kv, clock } = t.app.deps;
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    await recordMainPhoto(t, viewer);
    const young = await memberWithProfile(t, {
      displayName: "Younger",
      dateOfBirth: yearsAgo(clock.now(), 20),
    });
    const older = await memberWithProfile(t, {
      displayName: "Older",
      dateOfBirth: yearsAgo(clock.now(), 40),
    });
    for (
      const [body, code] of [
        [{ ageRange: { min: 10, max: 30 } }, "invalid_filters"],
        [{ colour: "any" }, "invalid_filters"],
        [["not", "an", "object"], "invalid_filters"],
      ] as const
    ) {
      const res = await call(t, "POST", "/api/discovery/filters", viewer, body);
      assert.equal(res.status, 400, JSON.stringify(res.body));
      assert.equal(res.body.error.code, code);
    }
    const raw = await t.fetch("/api/discovery/filters", {
      method: "POST",
      headers: { cookie: `aurum_session=${viewer.cookie}`, origin: "http://localhost:8000" },
      body: "ageRange",
    });
    assert.equal(raw.status, 415);
    await raw.body?.cancel();
    assert.equal(await countEntries(kv, ["discovery_filters"]), 0);

    const saved = await call(t, "POST", "/api/discovery/filters", viewer, {
      ageRange: { min: 18, max: 30 },
    });
    assert.equal(saved.status, 200);
    assert.deepEqual(saved.body, { filters: { ageRange: { min: 18, max: 30 } } });
    assert.deepEqual((await call(t, "GET", "/api/discovery/filters", viewer)).body, saved.body);
    assert.deepEqual(ids((await call(t, "GET", "/api/discovery/profiles", viewer)).body), [
      young.profileId,
    ]);
    assert.deepEqual(ids((await call(t, "GET", "/api/profiles", viewer)).body), [young.profileId]);
    // The request's own filters win.
    const explicit = await call(t, "GET", "/api/discovery/profiles?ageMin=35", viewer);
    assert.deepEqual(ids(explicit.body), [older.profileId]);
    const vault = await t.fetch("/vault", {
      headers: { cookie: `aurum_session=${viewer.cookie}` },
    });
    const html = await vault.text();
    assert.equal(vault.status, 200);
    assert.ok(html.includes("Younger") && !html.includes("Older"));
  });
});

Deno.test("[discovery] POST /api/discovery/pass is idempotent; refusals store nothing", async () => {
  await withSocialApp(async (t) => {
    const { kv } = t.app.deps;
    const viewer = await memberWithProfile(t);
    const other = await memberWithProfile(t);
    const refusals: [unknown, number, string][] = [
      [{}, 400, "invalid_body"],
      [{ profileId: 7 }, 400, "invalid_body"],
      [{ profileId: other.profileId, extra: 1 }, 400, "invalid_body"],
      [{ profileId: "not-an-id" }, 400, "invalid_profile_id"],
      [{ profileId: ulid(t.app.deps.clock) }, 404, "profile_not_found"],
      [{ profileId: viewer.profileId }, 400, "pass_self"],
    ];
    for (const [body, status, code] of refusals) {
      const res = await call(t, "POST", "/api/discovery/pass", viewer, body);
      assert.equal(res.status, status, JSON.stringify(body));
      assert.equal(res.body.error.code, code);
    }
    assert.equal(await countEntries(kv, ["discovery_passes"]), 0);
    const first = await call(t, "POST", "/api/discovery/pass", viewer, {
      profileId: other.profileId,
    });
    assert.equal(first.status, 201);
    assert.equal(first.body.status, "passed");
    const again = await call(t, "POST", "/api/discovery/pass", viewer, {
      profileId: other.profileId,
    });
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, { ...first.body, status: "already_passed" });
    assert.equal(await countEntries(kv, ["discovery_passes"]), 1);
    const recommended = await call(t, "GET", "/api/discovery/recommended", viewer);
    assert.deepEqual(recommended.body.values, []);
  });
});

Deno.test("[discovery] GET /api/discovery/recommended keeps the hard rules and learns from feedback", async () => {
  await withSocialApp(async (t) => {
    const { kv, clock } = t.app.deps;
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    const others: Member[] = [];
    for (let i = 0; i < 14; i++) {
      const m = await memberWithProfile(t, { displayName: `Member ${i}` });
      await photoWith(t, m, { sharpness: 0.05 * i, noise: 2.5, composition: 0.65 });
      others.push(m);
    }
    const [hidden, blocker, blocked, matched, signalled, ...rest] = others;
    assert.equal(
      (await call(t, "PUT", `/api/profiles/${hidden.profileId}`, hidden, { hidden: true })).status,
      200,
    );
    await blockMember(kv, clock, blocker.wallet, viewer.wallet);
    await blockMember(kv, clock, viewer.wallet, blocked.wallet);
    await sendSignal(kv, clock, { from: viewer.wallet, to: matched.wallet });
    await sendSignal(kv, clock, { from: matched.wallet, to: viewer.wallet });
    await sendSignal(kv, clock, { from: viewer.wallet, to: signalled.wallet });

    const bad = await call(t, "GET", "/api/discovery/recommended?limit=51", viewer);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.code, "invalid_query");
    const before = await countEntries(kv, ["discovery_impressions"]);
    const cold = await call(t, "GET", "/api/discovery/recommended", viewer);
    assert.equal(cold.status, 200);
    assert.equal(cold.body.coldStart, true);
    assert.deepEqual(ids(cold.body), rest.map((m) => m.profileId).sort());
    assert.equal(await countEntries(kv, ["discovery_impressions"]), before + 1);

    // Sharp photos signalled, soft ones passed: the model ranks by sharpness.
    const bySharpness = [...rest];
    for (const m of bySharpness.slice(-3)) {
      await sendSignal(kv, clock, { from: viewer.wallet, to: m.wallet });
    }
    for (const m of bySharpness.slice(0, 3)) {
      assert.equal(
        (await call(t, "POST", "/api/discovery/pass", viewer, { profileId: m.profileId })).status,
        201,
      );
    }
    const learned = await call(t, "GET", "/api/discovery/recommended", viewer);
    assert.equal(learned.body.coldStart, false);
    assert.match(learned.body.modelVersion, /^fit-/);
    assert.deepEqual(learned.body.values.map((v: { id: string }) => v.id), [
      bySharpness[5].profileId,
      bySharpness[4].profileId,
      bySharpness[3].profileId,
    ]);
  });
});

Deno.test("[discovery] GET /api/discovery/today is the same set all day, stored per member and day", async () => {
  const clock = createManualClock(NOW);
  await withSocialApp(async (t) => {
    const { kv } = t.app.deps;
    const viewer = await memberWithProfile(t);
    for (let i = 0; i < 10; i++) await memberWithProfile(t, { displayName: `Member ${i}` });
    const first = await call(t, "GET", "/api/discovery/today", viewer);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.values.length, 8);
    assert.equal(await countEntries(kv, ["discovery_today"]), 1);
    clock.advance(30 * 60 * 1000);
    const later = await call(t, "GET", "/api/discovery/today", viewer);
    assert.deepEqual(ids(later.body), ids(first.body));
    assert.equal(later.body.day, first.body.day);
    // A member passed on leaves today's circle at once; the rest stay as they were.
    const [passed, ...kept] = ids(first.body);
    const pass = await call(t, "POST", "/api/discovery/pass", viewer, { profileId: passed });
    assert.equal(pass.status, 201, JSON.stringify(pass.body));
    const after = await call(t, "GET", "/api/discovery/today", viewer);
    assert.deepEqual(ids(after.body), kept);
  }, { clock });
});
