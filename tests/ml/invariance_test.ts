import assert from "node:assert/strict";
import { analyzePhoto, mlInternals, scorePhoto } from "@/ml-wasm/mod.ts";
import {
  DEMO_DIR,
  INVARIANCE_TOLERANCE,
  NATURAL_FACE_SHIFTS,
  shiftFaceRegions,
} from "./_images.ts";

Deno.test("[ml] face-region hue/lightness shifts move the score less than the tolerance", async () => {
  let worst = 0;
  for (const i of [1, 3, 5, 6]) {
    const src = await mlInternals.decodeRgb(
      await Deno.readFile(new URL(`sample${i}.jpg`, DEMO_DIR)),
      960,
    );
    const baseJpeg = await mlInternals.encodeJpeg(src.data, src.width, src.height, 92);
    const base = await analyzePhoto(baseJpeg);
    const baseScore = (await scorePhoto(base)).score;
    for (const shift of NATURAL_FACE_SHIFTS) {
      const data = shiftFaceRegions(src, base.faces, src.width / base.width, shift);
      const jpeg = await mlInternals.encodeJpeg(data, src.width, src.height, 92);
      const moved = Math.abs((await scorePhoto(await analyzePhoto(jpeg))).score - baseScore);
      worst = Math.max(worst, moved);
      assert.ok(moved < INVARIANCE_TOLERANCE, `sample${i} shift ${shift}: moved ${moved}`);
    }
  }
  console.log(`worst score change under face hue/lightness shifts: ${worst.toFixed(2)}`);
});
