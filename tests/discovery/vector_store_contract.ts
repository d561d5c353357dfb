/**
 * The contract every VectorStore adapter passes: upsert and replace, delete, deleteProfile,
 * setPayload, the filters (admitted, style opt-in, excluded profiles), exact top-k order against a
 * brute-force cosine, the empty store and `k` larger than the store.
 */
import assert from "node:assert/strict";
import type { StylePayload, VectorPoint, VectorStore } from "@/core/discovery/mod.ts";

/** Opens a fresh, empty store for one test and cleans up after it. */
export type OpenStore = () => Promise<{ store: VectorStore; cleanup: () => Promise<void> }>;

let seed = 0x2f6e2b1;
/** A deterministic pseudo-random int8 vector in [-127, 127]. */
export function randomVector(): Int8Array {
  const v = new Int8Array(256);
  for (let i = 0; i < v.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    v[i] = (seed % 255) - 127;
  }
  return v;
}

/** Cosine of two int8 vectors, computed in floating point. */
export function cosine(a: Int8Array, b: Int8Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

const payload = (profileId: string, over: Partial<StylePayload> = {}): StylePayload => ({
  profileId,
  admitted: true,
  styleOptIn: true,
  ...over,
});

/** `n` points over `profiles` profiles (photo ids `<tag>-p<i>`), all admitted and opted in. */
export function points(tag: string, n: number, profiles: number): VectorPoint[] {
  return Array.from({ length: n }, (_, i) => ({
    photoId: `${tag}-p${String(i).padStart(3, "0")}`,
    vector: randomVector(),
    payload: payload(`${tag}-u${i % profiles}`),
  }));
}

/** The brute-force answer: ids of the best `k` points passing `keep`, best first. */
export function bruteForce(
  all: VectorPoint[],
  query: Int8Array,
  k: number,
  keep: (p: VectorPoint) => boolean = () => true,
): { photoId: string; similarity: number }[] {
  return all.filter(keep)
    .map((p) => ({ photoId: p.photoId, similarity: cosine(query, p.vector) }))
    .sort((a, b) => b.similarity - a.similarity)
    .slice(0, k);
}

function assertSameTop(
  actual: { photoId: string; similarity: number }[],
  expected: { photoId: string; similarity: number }[],
) {
  assert.deepEqual(actual.map((m) => m.photoId), expected.map((m) => m.photoId));
  actual.forEach((m, i) => assert.ok(Math.abs(m.similarity - expected[i].similarity) < 1e-4));
}

/** Registers the contract tests for one adapter. */
export function vectorStoreContract(name: string, open: OpenStore): void {
  const test = (title: string, body: (store: VectorStore) => Promise<void>) =>
    Deno.test(`[vectors] ${name}: ${title}`, async () => {
      const { store, cleanup } = await open();
      try {
        await body(store);
      } finally {
        await store.close();
        await cleanup();
      }
    });

  test("an empty store answers an empty list and is healthy", async (store) => {
    assert.deepEqual(await store.search({ vector: randomVector(), k: 5 }), []);
    assert.equal(await store.healthy(), true);
  });

  test("top-k is exact and in order against a brute-force cosine", async (store) => {
    const all = points("top", 80, 30);
    await store.upsert(all);
    for (let q = 0; q < 3; q++) {
      const query = randomVector();
      const found = await store.search({ vector: query, k: 10 });
      assertSameTop(found, bruteForce(all, query, 10));
      const byId = new Map(all.map((p) => [p.photoId, p.payload.profileId]));
      for (const m of found) assert.equal(m.profileId, byId.get(m.photoId));
    }
  });

  test("k larger than the store returns every eligible point", async (store) => {
    const all = points("few", 4, 4);
    await store.upsert(all);
    const query = randomVector();
    assertSameTop(await store.search({ vector: query, k: 50 }), bruteForce(all, query, 50));
  });

  test("upsert replaces a point by photo id", async (store) => {
    const [a, b] = points("rep", 2, 2);
    await store.upsert([a, b]);
    const moved = { ...a, vector: randomVector() };
    await store.upsert([moved]);
    const found = await store.search({ vector: moved.vector, k: 5 });
    assert.equal(found.length, 2);
    assert.equal(found[0].photoId, a.photoId);
    assert.ok(Math.abs(found[0].similarity - 1) < 1e-4);
    assert.ok(Math.abs(found[1].similarity - cosine(moved.vector, b.vector)) < 1e-4);
  });

  test("delete removes points and ignores absent ids", async (store) => {
    const all = points("del", 6, 3);
    await store.upsert(all);
    await store.delete([all[0].photoId, all[1].photoId, "never-there"]);
    const query = randomVector();
    assertSameTop(
      await store.search({ vector: query, k: 10 }),
      bruteForce(all.slice(2), query, 10),
    );
  });

  test("deleteProfile removes every point of that profile only", async (store) => {
    const all = points("dp", 9, 3);
    await store.upsert(all);
    await store.deleteProfile("dp-u1");
    const query = randomVector();
    const found = await store.search({ vector: query, k: 10 });
    assertSameTop(found, bruteForce(all, query, 10, (p) => p.payload.profileId !== "dp-u1"));
    assert.equal(found.length, 6);
  });

  test("only admitted members are returned; setPayload changes every point of a profile", async (store) => {
    const all = points("adm", 12, 4);
    for (const p of all) if (p.payload.profileId === "adm-u0") p.payload.admitted = false;
    await store.upsert(all);
    const query = randomVector();
    const admitted = (p: VectorPoint) => p.payload.profileId !== "adm-u0";
    assertSameTop(
      await store.search({ vector: query, k: 20 }),
      bruteForce(all, query, 20, admitted),
    );

    await store.setPayload("adm-u1", { admitted: false });
    const notU0U1 = (p: VectorPoint) => admitted(p) && p.payload.profileId !== "adm-u1";
    assertSameTop(
      await store.search({ vector: query, k: 20 }),
      bruteForce(all, query, 20, notU0U1),
    );

    await store.setPayload("adm-u0", { admitted: true });
    await store.setPayload("adm-u1", { admitted: true });
    assertSameTop(await store.search({ vector: query, k: 20 }), bruteForce(all, query, 20));
  });

  test("styleOptInOnly keeps opted-in members; setPayload toggles it", async (store) => {
    const all = points("opt", 15, 5).map((p) => ({
      ...p,
      payload: { ...p.payload, styleOptIn: p.payload.profileId !== "opt-u2" },
    }));
    await store.upsert(all);
    const query = randomVector();
    const optedIn = (p: VectorPoint) => p.payload.profileId !== "opt-u2";
    assertSameTop(
      await store.search({ vector: query, k: 20, styleOptInOnly: true }),
      bruteForce(all, query, 20, optedIn),
    );
    assertSameTop(await store.search({ vector: query, k: 20 }), bruteForce(all, query, 20));
    await store.setPayload("opt-u3", { styleOptIn: false });
    assertSameTop(
      await store.search({ vector: query, k: 20, styleOptInOnly: true }),
      bruteForce(all, query, 20, (p) => optedIn(p) && p.payload.profileId !== "opt-u3"),
    );
    await store.setPayload("opt-u2", { styleOptIn: true });
    await store.setPayload("opt-u3", { styleOptIn: true });
    assertSameTop(
      await store.search({ vector: query, k: 20, styleOptInOnly: true }),
      bruteForce(all, query, 20),
    );
  });

  test("excluded profiles never appear, and k is still filled", async (store) => {
    const all = points("exc", 40, 8);
    await store.upsert(all);
    const query = randomVector();
    const best = bruteForce(all, query, 1)[0];
    const top = all.find((p) => p.photoId === best.photoId)!.payload.profileId;
    const excluded = [top, "exc-u5", "not-a-profile"];
    const found = await store.search({ vector: query, k: 10, excludeProfileIds: excluded });
    assertSameTop(
      found,
      bruteForce(all, query, 10, (p) => !excluded.includes(p.payload.profileId)),
    );
    assert.equal(found.length, 10);
  });

  test("a malformed vector or k is refused", async (store) => {
    await assert.rejects(
      () => store.search({ vector: new Int8Array(3), k: 5 }),
      (e: Error) => e.name === "BadRequestError" || /256/.test(e.message),
    );
    await assert.rejects(() => store.search({ vector: randomVector(), k: 0 }));
  });
}
