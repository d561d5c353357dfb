import assert from "node:assert/strict";
import { analyzePhoto, mlInternals, scorePhoto } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "./_images.ts";

/**
 * Documented tolerance: shifting the face region's hue by up to ±12° or its lightness by up to
 * ±10% moves the score (0–100) by less than INVARIANCE_TOLERANCE points.
 */
export const INVARIANCE_TOLERANCE = 3;

function rgbToHsl(r: number, g: number, b: number): [number, number, number] {
  r /= 255, g /= 255, b /= 255;
  const max = Math.max(r, g, b), min = Math.min(r, g, b);
  const l = (max + min) / 2;
  if (max === min) return [0, 0, l];
  const d = max - min;
  const s = l > 0.5 ? d / (2 - max - min) : d / (max + min);
  const h = max === r
    ? (g - b) / d + (g < b ? 6 : 0)
    : max === g
    ? (b - r) / d + 2
    : (r - g) / d + 4;
  return [h * 60, s, l];
}

function hslToRgb(h: number, s: number, l: number): [number, number, number] {
  const c = (1 - Math.abs(2 * l - 1)) * s;
  const hp = (((h % 360) + 360) % 360) / 60;
  const x = c * (1 - Math.abs((hp % 2) - 1));
  const [r, g, b] = hp < 1
    ? [c, x, 0]
    : hp < 2
    ? [x, c, 0]
    : hp < 3
    ? [0, c, x]
    : hp < 4
    ? [0, x, c]
    : hp < 5
    ? [x, 0, c]
    : [c, 0, x];
  const m = l - c / 2;
  return [r, g, b].map((v) => Math.round(Math.max(0, Math.min(1, v + m)) * 255)) as [
    number,
    number,
    number,
  ];
}

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
    const k = src.width / base.width;
    for (const shift of [[12, 1], [-12, 1], [0, 1.1], [0, 0.9]]) {
      const data = src.data.slice();
      for (const f of base.faces) {
        const [x0, y0] = [Math.floor(f.x * k), Math.floor(f.y * k)];
        const [x1, y1] = [Math.ceil((f.x + f.width) * k), Math.ceil((f.y + f.height) * k)];
        for (let y = y0; y < Math.min(y1, src.height); y++) {
          for (let x = x0; x < Math.min(x1, src.width); x++) {
            const p = (y * src.width + x) * 3;
            const [h, s, l] = rgbToHsl(data[p], data[p + 1], data[p + 2]);
            data.set(hslToRgb(h + shift[0], s, Math.min(1, l * shift[1])), p);
          }
        }
      }
      const jpeg = await mlInternals.encodeJpeg(data, src.width, src.height, 92);
      const moved = Math.abs((await scorePhoto(await analyzePhoto(jpeg))).score - baseScore);
      worst = Math.max(worst, moved);
      assert.ok(moved < INVARIANCE_TOLERANCE, `sample${i} shift ${shift}: moved ${moved}`);
    }
  }
  console.log(`worst score change under face hue/lightness shifts: ${worst.toFixed(2)}`);
});
