import assert from "node:assert/strict";
import { analyzePhoto, MlError, mlInternals } from "@/ml-wasm/mod.ts";
import { encodePng, rng, scene } from "./_images.ts";

const ITERATIONS = 10_000;

function mutate(seed: Uint8Array, r: () => number): Uint8Array {
  const pick = Math.floor(r() * 6);
  let b = seed.slice();
  const at = () => Math.floor(r() * b.length);
  if (pick === 0) {
    for (let i = 0, n = 1 + Math.floor(r() * 8); i < n; i++) b[at()] ^= 1 << Math.floor(r() * 8);
  } else if (pick === 1) {
    for (let i = 0, n = 1 + Math.floor(r() * 4); i < n; i++) {
      b[at()] = [0x00, 0xff, 0x7f, 0x80, 0xd8, 0xc0][Math.floor(r() * 6)];
    }
  } else if (pick === 2) {
    b = b.slice(0, Math.floor(r() * b.length));
  } else if (pick === 3) {
    const p = at(), n = 1 + Math.floor(r() * 64);
    const ins = Uint8Array.from({ length: n }, () => Math.floor(r() * 256));
    const out = new Uint8Array(b.length + n);
    out.set(b.subarray(0, p));
    out.set(ins, p);
    out.set(b.subarray(p), p + n);
    b = out;
  } else if (pick === 4) {
    // Header dimensions (PNG IHDR at 16..24; JPEG SOF fields near the start) get large values.
    const p = 16 + Math.floor(r() * 200);
    if (p + 2 < b.length) b.set([0xff, Math.floor(r() * 256)], p);
  } else {
    const p = at(), q = at(), n = Math.min(32, b.length - Math.max(p, q));
    if (n > 0) b.copyWithin(p, q, q + n);
  }
  return b;
}

Deno.test("[ml] fuzz: 10,000 mutated JPEG/PNG inputs never crash the process", async () => {
  const img = scene(72, 56);
  const seeds = [
    await mlInternals.encodeJpeg(img.data, img.width, img.height, 80),
    await Deno.readFile(new URL("../../ml-wasm/tests/golden/progressive.jpg", import.meta.url)),
    await Deno.readFile(new URL("../../ml-wasm/tests/golden/oriented6.jpg", import.meta.url)),
    await encodePng(img),
    await encodePng(scene(40, 30), true),
  ];
  const r = rng(2024);
  const counts: Record<string, number> = {};
  const started = performance.now();
  for (let i = 0; i < ITERATIONS; i++) {
    const input = mutate(seeds[i % seeds.length], r);
    try {
      await analyzePhoto(input);
      counts.ok = (counts.ok ?? 0) + 1;
    } catch (e) {
      assert.ok(e instanceof MlError, `iteration ${i}: ${e}`);
      counts[e.code] = (counts[e.code] ?? 0) + 1;
    }
  }
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  assert.equal(total, ITERATIONS);
  console.log(`fuzz outcomes in ${((performance.now() - started) / 1000).toFixed(1)} s:`, counts);
  // The core is still healthy afterwards.
  assert.equal((await analyzePhoto(seeds[3])).width, 72);
});
