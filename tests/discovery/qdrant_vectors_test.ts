/**
 * The Qdrant vector store against the contract: on the loopback stand-in always, and on a real
 * server too wherever `QDRANT_URL` is set (each test in its own collection, dropped afterwards).
 */
import assert from "node:assert/strict";
import { QdrantClient } from "@qdrant/js-client-rest";
import { createQdrantVectorStore, pointIdOf } from "@/core/discovery/mod.ts";
import { startQdrantStandin } from "@/tests/helpers/qdrant_standin.ts";
import { points, vectorStoreContract } from "./vector_store_contract.ts";

let collections = 0;
const collectionName = () => `test_styles_${Date.now().toString(36)}_${++collections}`;

vectorStoreContract("qdrant (stand-in)", () => {
  const standin = startQdrantStandin();
  return Promise.resolve({
    store: createQdrantVectorStore({ url: standin.url, collection: collectionName() }),
    cleanup: () => standin.close(),
  });
});

const realUrl = Deno.env.get("QDRANT_URL");
if (realUrl) {
  const apiKey = Deno.env.get("QDRANT_API_KEY");
  vectorStoreContract("qdrant (real server)", () => {
    const collection = collectionName();
    return Promise.resolve({
      store: createQdrantVectorStore({ url: realUrl, apiKey, collection }),
      cleanup: async () => {
        const client = new QdrantClient({ url: realUrl, apiKey, checkCompatibility: false });
        await client.deleteCollection(collection);
      },
    });
  });
} else {
  console.log(
    "[vectors] QDRANT_URL not set: the contract against a real Qdrant server was skipped",
  );
}

Deno.test("[vectors] qdrant (stand-in): the collection is created once with int8 quantization and payload indexes", async () => {
  const standin = startQdrantStandin();
  const store = createQdrantVectorStore({ url: standin.url, collection: "styles" });
  try {
    await store.upsert(points("c", 3, 3));
    await store.search({ vector: points("q", 1, 1)[0].vector, k: 2 });
    const collection = standin.collections.get("styles")!;
    assert.deepEqual(collection.config.vectors, { size: 256, distance: "Cosine" });
    assert.deepEqual(collection.config.quantization_config, {
      scalar: { type: "int8", always_ram: true },
    });
    assert.deepEqual(Object.fromEntries(collection.indexes), {
      profileId: "keyword",
      admitted: "bool",
      styleOptIn: "bool",
    });
    assert.equal(standin.requests.filter((r) => r === "PUT /collections/styles").length, 1);
    // Point ids are UUIDs derived from the photo id; the photo id rides in the payload.
    const stored = [...collection.points.values()][0];
    assert.match(
      String(stored.id),
      /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    assert.equal(stored.id, await pointIdOf(String(stored.payload.photoId)));
  } finally {
    await store.close();
    await standin.close();
  }
});

Deno.test("[vectors] qdrant: an unreachable server reports unhealthy", async () => {
  const standin = startQdrantStandin();
  const url = standin.url;
  await standin.close();
  const store = createQdrantVectorStore({ url, timeoutMs: 1000 });
  assert.equal(await store.healthy(), false);
  await store.close();
});
