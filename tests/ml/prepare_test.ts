import assert from "node:assert/strict";
import { analyzePhoto, mlInternals, preparePhoto } from "@/ml-wasm/mod.ts";
import { DEMO_DIR } from "./_images.ts";

/** JPEG marker codes of the segments before the first scan. */
function markers(jpeg: Uint8Array): number[] {
  const out: number[] = [];
  let i = 2;
  while (i + 4 <= jpeg.length && jpeg[i] === 0xff) {
    const m = jpeg[i + 1];
    out.push(m);
    if (m === 0xda) break;
    i += 2 + ((jpeg[i + 2] << 8) | jpeg[i + 3]);
  }
  return out;
}

const APP1 = 0xe1;

Deno.test("[ml] preparePhoto re-encodes renditions without EXIF/GPS metadata", async () => {
  const src = await Deno.readFile(new URL("sample1.jpg", DEMO_DIR));
  assert.ok(markers(src).includes(APP1), "the demo photo carries EXIF (camera, GPS)");
  const out = await preparePhoto(src, [1024, 320]);
  assert.equal(out.length, 3);
  const [large, small, thumb] = out;
  assert.deepEqual([large.width, large.height, large.blurred], [1024, 683, false]);
  assert.ok(Math.max(small.width, small.height) === 320);
  assert.ok(thumb.blurred);
  for (const r of out) {
    assert.ok(!markers(r.jpeg).some((m) => m >= 0xe1 && m <= 0xef), "no APP1..APP15");
    const img = await mlInternals.decodeRgb(r.jpeg);
    assert.deepEqual([img.width, img.height], [r.width, r.height]);
  }
});

Deno.test("[ml] preparePhoto applies EXIF orientation", async () => {
  const dir = new URL("../../ml-wasm/tests/golden/", import.meta.url);
  const [r] = await preparePhoto(await Deno.readFile(new URL("oriented6.jpg", dir)), [48], {
    blur: false,
  });
  assert.deepEqual([r.width, r.height], [32, 48]);
  const a = await analyzePhoto(r.jpeg);
  assert.equal(a.orientation, 1);
});

Deno.test("[ml] the blurred thumbnail reveals no face and no detail", async () => {
  const src = await Deno.readFile(new URL("sample6.jpg", DEMO_DIR));
  const original = await analyzePhoto(src);
  assert.ok(original.faces.length >= 4);
  const thumb = (await preparePhoto(src, [640])).find((r) => r.blurred)!;
  assert.ok(Math.max(thumb.width, thumb.height) <= 96);
  const a = await analyzePhoto(thumb.jpeg);
  assert.equal(a.faces.length, 0);
  const [plain] = await preparePhoto(src, [96], { blur: false });
  const reference = (await analyzePhoto(plain.jpeg)).features.sharpness;
  assert.ok(a.features.sharpness < 0.25 * reference, `${a.features.sharpness} vs ${reference}`);
});
