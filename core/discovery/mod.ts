/**
 * The discovery domain's face: the vector store of photo-style embeddings (embedded WASM index or
 * Qdrant) and "similar photo style". Code outside `core/discovery/` imports from here.
 */
export * from "./vector_store.ts";
export * from "./embedded_vectors.ts";
export * from "./qdrant_vectors.ts";
export * from "./style.ts";
import type { VectorStore } from "./vector_store.ts";
import { createEmbeddedVectorStore } from "./embedded_vectors.ts";
import { createQdrantVectorStore } from "./qdrant_vectors.ts";

/** The configured vector store: Qdrant when `qdrantUrl` is set, else the embedded index over `kv`. */
export function createVectorStore(
  kv: Deno.Kv,
  config: { qdrantUrl?: string; qdrantApiKey?: string; qdrantCollection?: string },
): VectorStore {
  if (!config.qdrantUrl) return createEmbeddedVectorStore(kv);
  return createQdrantVectorStore({
    url: config.qdrantUrl,
    apiKey: config.qdrantApiKey,
    collection: config.qdrantCollection,
  });
}
