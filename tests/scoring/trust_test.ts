/**
 * What the score may depend on: photo features only (no protected or purchasable attribute), and
 * natural face hue/lightness differences move it less than the documented tolerance — both
 * checked through the HTTP path.
 */
import assert from "node:assert/strict";
import { createMlPool } from "@/ml-wasm/pool.ts";
import { analyzePhoto, type FeatureName, mlInternals } from "@/ml-wasm/mod.ts";
import type { MlCore } from "@/server/deps.ts";
import { INVARIANCE_TOLERANCE, NATURAL_FACE_SHIFTS, shiftFaceRegions } from "@/tests/ml/_images.ts";
import { demoPhoto, memberWithProfile, score, upload, withScoringApp } from "./_helpers.ts";

const FEATURES: FeatureName[] = [
  "clip_highlights",
  "clip_shadows",
  "clipping",
  "contrast",
  "sharpness",
  "noise",
  "colourfulness",
  "colour_cast",
  "resolution",
  "composition",
  "face_present",
  "face_count",
  "face_confidence",
  "face_size",
  "face_clipping",
  "face_cut_off",
];
const PROTECTED =
  /gender|sex|interest|city|region|ethnic|race|skin|university|school|wallet|nft|token|payment|paid|price/i;

Deno.test("[scoring] the model's inputs are photo features only: no protected or purchasable attribute", async () => {
  const pool = createMlPool();
  const calls: unknown[][] = [];
  const ml: MlCore = {
    analyzePhoto: (bytes) => pool.analyzePhoto(bytes),
    preparePhoto: (bytes, sizes, options) => pool.preparePhoto(bytes, sizes, options),
    defaultModel: () => pool.defaultModel(),
    fitPreferences: (pairs, options) => pool.fitPreferences(pairs, options),
    scorePhoto: (...args) => {
      calls.push(structuredClone(args));
      return pool.scorePhoto(...args);
    },
    close: () => pool.close(),
  };
  await withScoringApp(async (t) => {
    const ada = await memberWithProfile(t, {
      university: "Sorbonne",
      gender: "non_binary",
      interestedIn: ["woman"],
      city: "Valparaíso",
      region: "latin_america",
    });
    const photoId = await upload(t, ada, await demoPhoto(4));
    assert.equal((await score(t, ada, photoId)).status, 201);
    assert.equal(calls.length, 1);
    const [input, model, community] = calls[0] as [
      Record<string, unknown>,
      { version: string; features: { name: string }[] },
      Record<string, unknown>,
    ];
    assert.deepEqual(Object.keys(input).sort(), ["features", "flags"]);
    assert.deepEqual(Object.keys(input.features as object).sort(), [...FEATURES].sort());
    assert.ok((input.flags as unknown[]).every((f) => typeof f === "string" && !PROTECTED.test(f)));
    assert.deepEqual(Object.keys(community).sort(), ["comparisons", "offset"]);
    for (const feature of model.features) {
      assert.ok(!PROTECTED.test(feature.name), feature.name);
      assert.ok((FEATURES as string[]).includes(feature.name), feature.name);
    }
    const serialized = JSON.stringify(calls[0]);
    assert.ok(!serialized.includes(ada.wallet.toLowerCase()) && !serialized.includes("Sorbonne"));
    for (const given of ["non_binary", "woman", "Valparaíso", "latin_america"]) {
      assert.ok(!serialized.includes(given), `${given} reached the score`);
    }
  }, { ml });
});

Deno.test("[scoring] the same photo with its face's hue/lightness shifted scores within the tolerance through the API", async () => {
  await withScoringApp(async (t) => {
    let worst = 0;
    for (const n of [1, 3]) {
      const member = await memberWithProfile(t);
      const src = await mlInternals.decodeRgb(await demoPhoto(n), 960);
      const baseJpeg = await mlInternals.encodeJpeg(src.data, src.width, src.height, 92);
      const faces = (await analyzePhoto(baseJpeg)).faces;
      const baseId = await upload(t, member, baseJpeg);
      const base = (await score(t, member, baseId)).body.score.score;
      for (const shift of [NATURAL_FACE_SHIFTS[0], NATURAL_FACE_SHIFTS[3]]) {
        const data = shiftFaceRegions(src, faces, 1, shift);
        const jpeg = await mlInternals.encodeJpeg(data, src.width, src.height, 92);
        const id = await upload(t, member, jpeg);
        const moved = Math.abs((await score(t, member, id)).body.score.score - base);
        worst = Math.max(worst, moved);
        assert.ok(moved < INVARIANCE_TOLERANCE, `sample${n} shift ${shift}: moved ${moved}`);
      }
    }
    console.log(`worst API score change under face hue/lightness shifts: ${worst.toFixed(2)}`);
  });
});
