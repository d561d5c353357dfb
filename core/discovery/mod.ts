/**
 * The discovery domain's face: the filtered list and saved filters, impressions and passes, the
 * per-viewer recommendations and today's circle, the vector store of photo-style embeddings
 * (embedded WASM index or Qdrant) and "similar photo style". Code outside `core/discovery/`
 * imports from here.
 */
export * from "./feedback.ts";
export * from "./pool.ts";
export * from "./preferences.ts";
export * from "./recommend.ts";
export * from "./today.ts";
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
export * from "./vault_picks.ts";
