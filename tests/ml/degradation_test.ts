import assert from "node:assert/strict";
import { analyzePhoto, type Features } from "@/ml-wasm/mod.ts";
import { blur, crop, darken, encodePng, expose, noise, type Rgb, scene } from "./_images.ts";

async function feature(img: Rgb, name: keyof Features): Promise<number> {
  return (await analyzePhoto(await encodePng(img))).features[name];
}

async function series(imgs: Rgb[], name: keyof Features): Promise<number[]> {
  const out = [];
  for (const img of imgs) out.push(await feature(img, name));
  return out;
}

const decreasing = (v: number[]) => v.every((x, i) => i === 0 || x < v[i - 1]);
const increasing = (v: number[]) => v.every((x, i) => i === 0 || x > v[i - 1]);
const base = scene(320, 240);

Deno.test("[ml] blur lowers sharpness over 3 levels", async () => {
  const v = await series([0, 1, 2, 3].map((r) => blur(base, r)), "sharpness");
  assert.ok(decreasing(v), JSON.stringify(v));
});

Deno.test("[ml] noise raises the noise estimate over 3 levels", async () => {
  const v = await series([0, 4, 8, 16].map((s) => noise(base, s)), "noise");
  assert.ok(increasing(v), JSON.stringify(v));
});

Deno.test("[ml] exposure shifts raise clipping over 3 levels", async () => {
  const up = await series([1, 1.5, 1.8, 2.2].map((k) => expose(base, k)), "clipping");
  assert.ok(increasing(up), JSON.stringify(up));
  const down = await series([0, 100, 140, 180].map((d) => darken(base, d)), "clip_shadows");
  assert.ok(increasing(down), JSON.stringify(down));
});

Deno.test("[ml] off-centre crops lower composition over 3 levels", async () => {
  const big = scene(480, 360);
  const v = await series(
    [0, 30, 60, 96].map((dx) => crop(big, 96 + dx, 72, 288, 216)),
    "composition",
  );
  assert.ok(decreasing(v), JSON.stringify(v));
});
