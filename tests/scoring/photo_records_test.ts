/** An accepted upload keeps its analysis and enters the vector store; deletions take both away. */
import assert from "node:assert/strict";
import { embeddingVector, readPhotoAnalysis } from "@/core/scoring/mod.ts";
import {
  call,
  demoPhoto,
  histogram,
  keysUnder,
  memberWithProfile,
  score,
  type TestApp,
  upload,
  withScoringApp,
} from "./_helpers.ts";

async function searchable(t: TestApp, vector: Int8Array, photoId: string): Promise<boolean> {
  const matches = await t.app.deps.vectors.search({ vector, k: 20 });
  return matches.some((m) => m.photoId === photoId);
}

Deno.test("[scoring] an upload stores its analysis and is searchable; deleting the photo removes analysis, scores and vector", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(1));

    const analysis = await readPhotoAnalysis(kv, photoId);
    assert.ok(analysis, "analysis stored in the upload's commit");
    assert.equal(analysis.profileId, ada.profileId);
    assert.ok(analysis.faceCount >= 1);
    assert.equal(analysis.embedding.values.length, 256);
    assert.ok(analysis.features.sharpness !== undefined && analysis.features.face_present === 1);
    const vector = embeddingVector(analysis);
    assert.ok(await searchable(t, vector, photoId), "vector indexed after the commit");

    assert.equal((await score(t, ada, photoId)).status, 201);
    assert.equal((await score(t, ada, photoId)).status, 201);
    assert.equal((await keysUnder(kv, ["score_history", photoId])).length, 2);
    assert.equal((await histogram(kv)).total, 1);

    const res = await t.fetch(
      `/api/profiles/${ada.profileId}/photos/${photoId}`,
      {
        method: "DELETE",
        headers: { cookie: `aurum_session=${ada.cookie}`, origin: "http://localhost:8000" },
      },
    );
    assert.equal(res.status, 204);
    assert.equal(await readPhotoAnalysis(kv, photoId), null);
    assert.deepEqual(await keysUnder(kv, ["photo_scores"]), []);
    assert.deepEqual(await keysUnder(kv, ["score_history", photoId]), []);
    assert.deepEqual(await keysUnder(kv, ["score_best"]), []);
    assert.equal((await histogram(kv)).total, 0, "a deleted photo leaves the population");
    assert.equal(await searchable(t, vector, photoId), false);
    assert.equal((await score(t, ada, photoId)).status, 404);
  });
});

Deno.test("[scoring] deleting a profile removes every analysis, score, leaderboard entry and vector of it", async () => {
  await withScoringApp(async (t) => {
    const { kv } = t.app.deps;
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const photos = [
      await upload(t, ada, await demoPhoto(2)),
      await upload(t, ada, await demoPhoto(3)),
    ];
    const kept = await upload(t, bo, await demoPhoto(5));
    for (const id of photos) assert.equal((await score(t, ada, id)).status, 201);
    assert.equal((await score(t, bo, kept)).status, 201);
    assert.equal(
      (await call(t, "PUT", "/api/attractiveness/leaderboard", ada, { optIn: true })).status,
      200,
    );
    assert.equal((await keysUnder(kv, ["leaderboard"])).length, 1);
    const vectors = await Promise.all(
      photos.map(async (id) => embeddingVector((await readPhotoAnalysis(kv, id))!)),
    );

    const res = await call(t, "DELETE", `/api/profiles/${ada.profileId}`, ada);
    assert.equal(res.status, 204);
    for (const [i, id] of photos.entries()) {
      assert.equal(await readPhotoAnalysis(kv, id), null);
      assert.deepEqual(await keysUnder(kv, ["photo_scores", id]), []);
      assert.deepEqual(await keysUnder(kv, ["score_history", id]), []);
      assert.equal(await searchable(t, vectors[i], id), false);
    }
    assert.deepEqual(await keysUnder(kv, ["score_best", ada.profileId]), []);
    assert.deepEqual(await keysUnder(kv, ["leaderboard"]), []);
    assert.deepEqual(await keysUnder(kv, ["leaderboard_settings"]), []);
    assert.equal((await histogram(kv)).total, 1, "only the other member's photo is still counted");
    assert.ok(await readPhotoAnalysis(kv, kept));
  });
});
