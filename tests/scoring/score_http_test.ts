/** `POST|GET /api/attractiveness/score` and the leaderboard over HTTP, with real face photos. */
import assert from "node:assert/strict";
import { photoAnalysisKey } from "@/core/scoring/mod.ts";
import { blockMember } from "@/core/social/mod.ts";
import { match } from "@/tests/profiles_http/_helpers.ts";
import {
  call,
  demoPhoto,
  histogram,
  keysUnder,
  kvSnapshot,
  type Member,
  memberWithProfile,
  score,
  upload,
  withScoringApp,
} from "./_helpers.ts";

Deno.test("[scoring] scoring an own photo: score, percentile, breakdown, stored with its history", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const first = await upload(t, ada, await demoPhoto(1));
    const second = await upload(t, ada, await demoPhoto(6));
    const other = await upload(t, bo, await demoPhoto(3));

    const res = await score(t, ada, first);
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    assert.equal(res.headers.get("cache-control"), "private, no-store");
    const s = res.body.score;
    assert.ok(s.score >= 0 && s.score <= 100);
    assert.equal(s.percentile, 50, "alone in the population");
    assert.deepEqual(Object.keys(s.breakdown.groups).sort(), ["composition", "face", "technical"]);
    assert.ok(s.breakdown.contributions.length > 0);
    assert.ok(typeof s.confidence === "number" && Array.isArray(s.flags));
    assert.equal(typeof s.modelVersion, "string");
    assert.equal(s.photoId, first);
    assert.equal(s.profileId, undefined);

    await score(t, bo, other);
    await score(t, ada, second);
    const again = (await score(t, ada, first)).body.score;
    assert.equal(again.score, s.score, "the same analysis and model give the same score");

    const mine = await call(t, "GET", "/api/attractiveness/score", ada);
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.latest.map((x: { photoId: string }) => x.photoId), [first, second]);
    assert.deepEqual(
      mine.body.history.map((x: { photoId: string }) => x.photoId),
      [first, second, first],
      "every scoring, newest first",
    );
    const scores = [
      s.score,
      mine.body.latest[1].score,
      (await call(t, "GET", "/api/attractiveness/score", bo)).body.latest[0].score,
    ];
    const rounded = scores.map(Math.round);
    const mineNow = mine.body.latest[0].percentile;
    const below = rounded.filter((x) => x < rounded[0]).length;
    const equal = rounded.filter((x) => x === rounded[0]).length;
    assert.equal(mineNow, Math.round((1000 * (below + equal / 2)) / 3) / 10);
    assert.equal((await histogram(kv)).total, 3);
    assert.deepEqual(await keysUnder(kv, ["leaderboard_settings"]), [], "scoring never opts in");
  });
});

Deno.test("[scoring] the current model and the photo's community offset come from KV", async () => {
  await withScoringApp(async (t) => {
    const { kv, ml } = t.app.deps;
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(2));
    const prior = (await score(t, ada, photoId)).body.score;
    assert.equal(prior.modelVersion, (await ml.defaultModel()).version);

    const model = await ml.defaultModel();
    await kv.set(["scoring_model"], {
      ...model,
      version: "fit-test-1",
      features: model.features.map((f) => ({ ...f, weight: f.weight * 2 })),
    });
    await kv.set(["photo_offset", photoId], { offset: 0.8, comparisons: 90 });
    const fitted = (await score(t, ada, photoId)).body.score;
    assert.equal(fitted.modelVersion, "fit-test-1");
    assert.equal(fitted.breakdown.communityOffset.comparisons, 90);
    assert.ok(fitted.breakdown.communityOffset.points > 0);
    const history = (await call(t, "GET", "/api/attractiveness/score", ada)).body.history;
    assert.deepEqual(history.map((h: { modelVersion: string }) => h.modelVersion), [
      "fit-test-1",
      prior.modelVersion,
    ]);
  });
});

Deno.test("[scoring] a photo without a stored analysis has its full rendition analysed once", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(5));
    await kv.delete(photoAnalysisKey(photoId));
    await t.app.deps.vectors.delete([photoId]);
    assert.equal((await score(t, ada, photoId)).status, 201);
    const stored = await kv.get(photoAnalysisKey(photoId));
    assert.ok(stored.versionstamp);
    assert.equal((await score(t, ada, photoId)).status, 201);
    assert.equal((await kv.get(photoAnalysisKey(photoId))).versionstamp, stored.versionstamp);
  });
});

Deno.test("[scoring] refusals and bad bodies: clear 4xx JSON, nothing stored", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const adas = await upload(t, ada, await demoPhoto(1));
    const gone = await upload(t, ada, await demoPhoto(3));
    assert.equal(
      (await call(t, "DELETE", `/api/profiles/${ada.profileId}/photos/${gone}`, ada)).status,
      204,
    );
    const before = await kvSnapshot(kv);

    // deno-lint-ignore no-explicit-any
    const cases: [string, () => Promise<{ status: number; body: any }>, number, string][] = [
      ["another member's photo", () => score(t, bo, adas), 404, "photo_not_found"],
      ["a deleted photo", () => score(t, ada, gone), 404, "photo_not_found"],
      ["an unknown id", () => score(t, ada, "01HZZZZZZZZZZZZZZZZZZZZZZZ"), 404, "photo_not_found"],
      ["a malformed id", () => score(t, ada, "../x"), 400, "invalid_body"],
      ["a number id", () => score(t, ada, 42), 400, "invalid_body"],
      ["no id", () => call(t, "POST", "/api/attractiveness/score", ada, {}), 400, "invalid_body"],
      [
        "an extra field",
        () => call(t, "POST", "/api/attractiveness/score", ada, { photoId: adas, gender: "f" }),
        400,
        "invalid_body",
      ],
      [
        "not JSON",
        async () => {
          const res = await t.fetch("/api/attractiveness/score", {
            method: "POST",
            headers: {
              "content-type": "application/json",
              origin: "http://localhost:8000",
              cookie: `aurum_session=${ada.cookie}`,
            },
            body: "{photoId",
          });
          return { status: res.status, body: await res.json() };
        },
        400,
        "",
      ],
      [
        "opt-in not boolean",
        () => call(t, "PUT", "/api/attractiveness/leaderboard", ada, { optIn: "yes" }),
        400,
        "invalid_body",
      ],
      [
        "leaderboard limit",
        () => call(t, "GET", "/api/attractiveness/leaderboard?limit=1000", ada),
        400,
        "",
      ],
    ];
    for (const [what, run, status, code] of cases) {
      const res = await run();
      assert.equal(res.status, status, `${what}: ${JSON.stringify(res.body)}`);
      assert.equal(typeof res.body.error.code, "string", what);
      assert.equal(typeof res.body.error.message, "string", what);
      if (code) assert.equal(res.body.error.code, code, what);
    }
    assert.deepEqual(await kvSnapshot(kv), before, "nothing stored");

    const anonymous = await t.fetch("/api/attractiveness/score");
    assert.equal(anonymous.status, 401);
  });
});

Deno.test("[scoring] at most 20 scorings a day per member: then 429 with Retry-After", async () => {
  await withScoringApp(async (t) => {
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(6));
    for (let i = 0; i < 20; i++) assert.equal((await score(t, ada, photoId)).status, 201);
    const limited = await score(t, ada, photoId);
    assert.equal(limited.status, 429);
    assert.equal(limited.body.error.code, "rate_limited");
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    assert.equal((await keysUnder(t.app.deps.kv, ["score_history", photoId])).length, 20);
  });
});

Deno.test("[scoring] parallel scorings keep the histogram total equal to the number of scored photos", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const members: Member[] = [];
    const photos: [Member, string][] = [];
    for (let i = 0; i < 4; i++) {
      const m = await memberWithProfile(t);
      members.push(m);
      photos.push([m, await upload(t, m, await demoPhoto(i + 1))]);
      if (i < 2) photos.push([m, await upload(t, m, await demoPhoto(i + 5))]);
    }
    const results = await Promise.all(
      photos.flatMap(([m, id]) => [score(t, m, id), score(t, m, id), score(t, m, id)]),
    );
    assert.ok(results.every((r) => r.status === 201), JSON.stringify(results.map((r) => r.status)));
    const { counts, total } = await histogram(kv);
    assert.equal(total, photos.length);
    const expected = new Map<number, number>();
    for await (const entry of kv.list<{ score: number }>({ prefix: ["photo_scores"] })) {
      const b = Math.round(entry.value.score);
      expected.set(b, (expected.get(b) ?? 0) + 1);
    }
    assert.deepEqual(counts, expected);
    const bests = await keysUnder(kv, ["score_best"]);
    assert.equal(bests.length, members.length);
  });
});

Deno.test("[scoring] the leaderboard is private by default, lists opted-in members with the card photo as the viewer may see it", async () => {
  await withScoringApp(async (t) => {
    const { kv, clock } = t.app.deps;
    const [ada, bo, cy] = [
      await memberWithProfile(t, { displayName: "Ada" }),
      await memberWithProfile(t, { displayName: "Bo" }),
      await memberWithProfile(t, { displayName: "Cy" }),
    ];
    const adaPhotos = [
      await upload(t, ada, await demoPhoto(1)),
      await upload(t, ada, await demoPhoto(2)),
    ];
    const boPhoto = await upload(t, bo, await demoPhoto(3));
    const adaScores = [];
    for (const id of adaPhotos) adaScores.push((await score(t, ada, id)).body.score.score);
    const boScore = (await score(t, bo, boPhoto)).body.score.score;
    const board = (viewer: Member) => call(t, "GET", "/api/attractiveness/leaderboard", viewer);

    assert.deepEqual((await board(cy)).body, { leaderboard: [] }, "nobody opted in");
    assert.equal((await call(t, "GET", "/api/attractiveness/score", cy)).body.latest.length, 0);

    assert.deepEqual(
      (await call(t, "PUT", "/api/attractiveness/leaderboard", ada, { optIn: true })).body,
      { optIn: true },
    );
    const seen = (await board(cy)).body.leaderboard;
    assert.equal(seen.length, 1);
    assert.deepEqual(seen[0], {
      rank: 1,
      profileId: ada.profileId,
      displayName: "Ada",
      photo: `/api/profiles/${ada.profileId}/photos/${adaPhotos[0]}?size=card&v=veiled`,
      photoBlurred: true,
      score: Math.round(Math.max(...adaScores) * 1000) / 1000,
    });
    const photoRes = await t.fetch(seen[0].photo, {
      headers: { cookie: `aurum_session=${cy.cookie}` },
    });
    assert.equal(photoRes.headers.get("x-photo-blurred"), "true");
    await photoRes.body?.cancel();

    await match(t, ada, cy);
    assert.equal(
      (await board(cy)).body.leaderboard[0].photoBlurred,
      false,
      "matched: the real card",
    );

    await call(t, "PUT", "/api/attractiveness/leaderboard", bo, { optIn: true });
    const both = (await board(cy)).body.leaderboard;
    assert.deepEqual(
      both.map((e: { profileId: string }) => e.profileId),
      Math.max(...adaScores) >= boScore
        ? [ada.profileId, bo.profileId]
        : [bo.profileId, ada.profileId],
    );
    assert.deepEqual(both.map((e: { rank: number }) => e.rank), [1, 2]);

    await blockMember(kv, clock, bo.wallet, cy.wallet);
    assert.deepEqual(
      (await board(cy)).body.leaderboard.map((e: { profileId: string }) => e.profileId),
      [ada.profileId],
    );

    assert.equal(
      (await call(t, "PUT", "/api/attractiveness/leaderboard", ada, { optIn: false })).status,
      200,
    );
    assert.deepEqual((await board(cy)).body.leaderboard, [], "opting out removes at once");
    assert.equal((await keysUnder(kv, ["leaderboard"])).length, 1, "only Bo's entry is left");

    // A deleted best photo moves the entry to the next best.
    await call(t, "PUT", "/api/attractiveness/leaderboard", ada, { optIn: true });
    const bestIndex = adaScores[0] >= adaScores[1] ? 0 : 1;
    await call(t, "DELETE", `/api/profiles/${ada.profileId}/photos/${adaPhotos[bestIndex]}`, ada);
    const after = (await board(ada)).body.leaderboard.find((e: { profileId: string }) =>
      e.profileId === ada.profileId
    );
    assert.equal(after.score, Math.round(adaScores[1 - bestIndex] * 1000) / 1000);
  });
});
