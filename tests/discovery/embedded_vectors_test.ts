/** The embedded vector store against the contract, plus the cross-instance step on one KV file. */
import assert from "node:assert/strict";
import { createEmbeddedVectorStore } from "@/core/discovery/mod.ts";
import { bruteForce, points, randomVector, vectorStoreContract } from "./vector_store_contract.ts";

vectorStoreContract("embedded", async () => {
  const kv = await Deno.openKv(":memory:");
  return { store: createEmbeddedVectorStore(kv), cleanup: () => Promise.resolve(kv.close()) };
});

async function twoInstances(body: (a: Deno.Kv, b: Deno.Kv) => Promise<void>) {
  const dir = await Deno.makeTempDir({ prefix: "aurum-vectors-" });
  const a = await Deno.openKv(`${dir}/kv.sqlite`);
  const b = await Deno.openKv(`${dir}/kv.sqlite`);
  try {
    await body(a, b);
  } finally {
    a.close();
    b.close();
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("[vectors] embedded: a write through one instance is seen by a search on another", async () => {
  await twoInstances(async (kvA, kvB) => {
    const one = createEmbeddedVectorStore(kvA);
    const two = createEmbeddedVectorStore(kvB);
    try {
      const query = randomVector();
      assert.deepEqual(await two.search({ vector: query, k: 5 }), []); // two has built its index
      const all = points("x", 12, 4);
      await one.upsert(all);
      assert.deepEqual(
        (await two.search({ vector: query, k: 5 })).map((m) => m.photoId),
        bruteForce(all, query, 5).map((m) => m.photoId),
      );
      await one.setPayload("x-u1", { styleOptIn: false });
      await one.delete([all[0].photoId]);
      await one.deleteProfile("x-u2");
      const kept = (p: (typeof all)[number]) =>
        p.photoId !== all[0].photoId && !["x-u1", "x-u2"].includes(p.payload.profileId);
      assert.deepEqual(
        (await two.search({ vector: query, k: 10, styleOptInOnly: true })).map((m) => m.photoId),
        bruteForce(all, query, 10, kept).map((m) => m.photoId),
      );
      // And back the other way, with both writing.
      const more = points("y", 3, 1);
      await two.upsert(more);
      await one.setPayload("x-u1", { styleOptIn: true });
      const everything = [...all, ...more].filter((p) =>
        p.photoId !== all[0].photoId && p.payload.profileId !== "x-u2"
      );
      assert.deepEqual(
        (await one.search({ vector: query, k: 20, styleOptInOnly: true })).map((m) => m.photoId),
        bruteForce(everything, query, 20).map((m) => m.photoId),
      );
    } finally {
      await one.close();
      await two.close();
    }
  });
});

Deno.test("[vectors] embedded: a new instance rebuilds the same index from KV", async () => {
  await twoInstances(async (kvA, kvB) => {
    const one = createEmbeddedVectorStore(kvA);
    const all = points("r", 30, 10);
    await one.upsert(all);
    await one.setPayload("r-u3", { admitted: false });
    await one.delete([all[1].photoId]);
    await one.close();
    const fresh = createEmbeddedVectorStore(kvB);
    try {
      const query = randomVector();
      const kept = (p: (typeof all)[number]) =>
        p.photoId !== all[1].photoId && p.payload.profileId !== "r-u3";
      assert.deepEqual(
        (await fresh.search({ vector: query, k: 10 })).map((m) => m.photoId),
        bruteForce(all, query, 10, kept).map((m) => m.photoId),
      );
    } finally {
      await fresh.close();
    }
  });
});

Deno.test("[vectors] embedded: concurrent writers through two stores all land, in one order", async () => {
  // Two stores on one KV handle (two SQLite handles in one process would only contend for the
  // file lock): each has its own index, so only the version check keeps them in step.
  const kv = await Deno.openKv(":memory:");
  const one = createEmbeddedVectorStore(kv);
  const two = createEmbeddedVectorStore(kv);
  try {
    const a = points("ca", 10, 10);
    const b = points("cb", 10, 10);
    await Promise.all([
      ...a.map((p) => one.upsert([p])),
      ...b.map((p) => two.upsert([p])),
    ]);
    // An upsert carries its profile's payload, so the opt-out comes after that profile's upsert.
    await Promise.all([one.setPayload("cb-u3", { styleOptIn: false }), two.delete(["ca-p000"])]);
    const query = randomVector();
    const expected = bruteForce([...a.slice(1), ...b], query, 20).map((m) => m.photoId);
    assert.deepEqual((await one.search({ vector: query, k: 20 })).map((m) => m.photoId), expected);
    assert.deepEqual((await two.search({ vector: query, k: 20 })).map((m) => m.photoId), expected);
    const optedIn = (await one.search({ vector: query, k: 20, styleOptInOnly: true }))
      .map((m) => m.photoId);
    assert.deepEqual(
      (await two.search({ vector: query, k: 20, styleOptInOnly: true })).map((m) => m.photoId),
      optedIn,
    );
    assert.ok(!optedIn.includes("cb-p003"));
    assert.equal(optedIn.length, 18);
  } finally {
    await one.close();
    await two.close();
    kv.close();
  }
});
