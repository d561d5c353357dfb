import assert from "node:assert/strict";
import { analyzePhoto, MlError, mlInternals } from "@/ml-wasm/mod.ts";

const DIR = new URL("../../ml-wasm/tests/golden/", import.meta.url);
const golden = JSON.parse(await Deno.readTextFile(new URL("golden.json", DIR)));

Deno.test("[ml] WASM decodes golden fixtures to the native pixels (±1)", async () => {
  assert.ok(golden.cases.length >= 5);
  for (const c of golden.cases) {
    const bytes = await Deno.readFile(new URL(c.file, DIR));
    const img = await mlInternals.decodeRgb(bytes);
    assert.equal(img.width, c.width, c.file);
    assert.equal(img.height, c.height, c.file);
    const want = await Deno.readFile(new URL(c.rgb, DIR));
    let worst = 0;
    for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(img.data[i] - want[i]));
    assert.ok(worst <= golden.tolerance.pixel, `${c.file}: pixel difference ${worst}`);
  }
});

Deno.test("[ml] WASM features match the native golden features", async () => {
  for (const c of golden.cases) {
    const img = await mlInternals.decodeRgb(await Deno.readFile(new URL(c.file, DIR)));
    const { features } = await mlInternals.featuresRgb(img.data, img.width, img.height);
    for (const [k, v] of Object.entries(c.features as Record<string, number>)) {
      const got = features[k as keyof typeof features];
      assert.ok(Math.abs(got - v) <= golden.tolerance.feature, `${c.file} ${k}: ${got} vs ${v}`);
    }
  }
});

Deno.test("[ml] EXIF orientation is applied by analyzePhoto", async () => {
  const a = await analyzePhoto(await Deno.readFile(new URL("oriented6.jpg", DIR)));
  assert.equal(a.orientation, 6);
  assert.deepEqual([a.width, a.height], [64, 96]);
});

Deno.test("[ml] hostile inputs give typed errors through WASM", async () => {
  assert.ok(golden.hostile.length >= 8);
  for (const h of golden.hostile) {
    const bytes = await Deno.readFile(new URL(h.file, DIR));
    await assert.rejects(
      () => analyzePhoto(bytes),
      (e: unknown) => e instanceof MlError && e.code === h.code,
      h.file,
    );
  }
});
