import assert from "node:assert/strict";
import { analyzePhoto, MlError, VectorIndex } from "@/ml-wasm/mod.ts";
import { DEMO_DIR, encodePng, rng, scene } from "./_images.ts";

function randomVectors(n: number, dim: number, seed: number): Int8Array[] {
  const r = rng(seed);
  return Array.from(
    { length: n },
    () => Int8Array.from({ length: dim }, () => Math.floor(r() * 255) - 127),
  );
}

function cosine(a: Int8Array, b: Int8Array): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return d / Math.sqrt(na * nb);
}

Deno.test("[ml] vector index top-k matches brute-force cosine; add, replace, remove", async () => {
  const ix = await VectorIndex.create(256);
  const vecs = randomVectors(600, 256, 5);
  ix.addMany(vecs.slice(0, 500).map((v, i) => [`p${i}`, v]));
  for (let i = 500; i < 600; i++) ix.add(`p${i}`, vecs[i]);
  assert.equal(ix.size, 600);
  const q = randomVectors(1, 256, 99)[0];
  const want = vecs.map((v, i) => ({ id: `p${i}`, score: cosine(v, q) }))
    .sort((a, b) => b.score - a.score).slice(0, 10);
  const got = ix.search(q, 10);
  assert.deepEqual(got.map((h) => h.id), want.map((h) => h.id));
  got.forEach((h, i) => assert.ok(Math.abs(h.score - want[i].score) < 1e-5));
  assert.ok(ix.remove(want[0].id));
  assert.ok(!ix.remove(want[0].id));
  assert.equal(ix.search(q, 1)[0].id, want[1].id);
  ix.add("p1", q);
  assert.equal(ix.search(q, 1)[0].id, "p1");
  assert.equal(ix.size, 599);
  assert.throws(() => ix.add("bad", new Int8Array(3)), (e) => e instanceof MlError);
});

Deno.test("[ml] vector index serializes and rebuilds identically", async () => {
  const ix = await VectorIndex.create(256);
  const vecs = randomVectors(300, 256, 8);
  vecs.forEach((v, i) => ix.add(`photo-${i}`, v));
  ix.remove("photo-7");
  const bytes = ix.serialize();
  const copy = await VectorIndex.deserialize(bytes);
  assert.equal(copy.size, 299);
  const q = randomVectors(1, 256, 11)[0];
  assert.deepEqual(copy.search(q, 20), ix.search(q, 20));
  assert.deepEqual(copy.serialize(), bytes);
  await assert.rejects(
    () => VectorIndex.deserialize(bytes.slice(0, 100)),
    (e) => e instanceof MlError,
  );
});

Deno.test("[ml] photo embeddings: a re-encoded photo is its own nearest neighbour", async () => {
  const ix = await VectorIndex.create(256);
  const analyses = [];
  for (let i = 1; i <= 6; i++) {
    analyses.push(await analyzePhoto(await Deno.readFile(new URL(`sample${i}.jpg`, DEMO_DIR))));
  }
  analyses.forEach((a, i) => ix.add(`s${i + 1}`, Int8Array.from(a.embedding.values)));
  ix.add(
    "synthetic",
    Int8Array.from((await analyzePhoto(await encodePng(scene(200, 150)))).embedding.values),
  );
  const again = await analyzePhoto(await Deno.readFile(new URL("sample4.jpg", DEMO_DIR)));
  assert.equal(ix.search(Int8Array.from(again.embedding.values), 1)[0].id, "s4");
  assert.equal(analyses[0].embedding.values.length, 256);
});
