/**
 * The Qdrant vector store (`QDRANT_URL`): one collection of 256-d cosine vectors with scalar int8
 * quantization and payload indexes on `profileId`, `admitted` and `styleOptIn`. Qdrant ids are
 * UUIDs or integers, so each photo ULID maps to a UUID derived from it (SHA-256, version 8); the
 * photo id itself travels in the payload. Several instances share the one collection.
 */
import { QdrantClient, type Schemas } from "@qdrant/js-client-rest";
import {
  checkK,
  checkVector,
  STYLE_DIMENSIONS,
  type StylePayload,
  type VectorMatch,
  type VectorPoint,
  type VectorQuery,
  type VectorStore,
} from "./vector_store.ts";

/** Where the Qdrant store lives. */
export interface QdrantVectorsConfig {
  url: string;
  apiKey?: string;
  /** Collection name (default `photo_styles`). */
  collection?: string;
  /** Request timeout in milliseconds (default 5 s). */
  timeoutMs?: number;
}

/** The collection's payload: the filter fields plus the photo id. */
type PointPayload = StylePayload & { photoId: string };

const PAYLOAD_INDEXES: [keyof StylePayload, Schemas["PayloadSchemaType"]][] = [
  ["profileId", "keyword"],
  ["admitted", "bool"],
  ["styleOptIn", "bool"],
];

/** The Qdrant point id of a photo: a UUID (version 8) from SHA-256 of the photo id. */
export async function pointIdOf(photoId: string): Promise<string> {
  const digest = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(`aurum-photo:${photoId}`)),
  ).slice(0, 16);
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${
    hex.slice(20)
  }`;
}

const profileIs = (profileId: string): Schemas["Filter"] => ({
  must: [{ key: "profileId", match: { value: profileId } }],
});

/** The Qdrant {@link VectorStore}. */
export class QdrantVectorStore implements VectorStore {
  readonly kind = "qdrant";
  readonly collection: string;
  #client: QdrantClient;
  #ready: Promise<void> | null = null;

  constructor(config: QdrantVectorsConfig) {
    this.collection = config.collection ?? "photo_styles";
    this.#client = new QdrantClient({
      url: config.url,
      apiKey: config.apiKey,
      timeout: config.timeoutMs ?? 5_000,
      checkCompatibility: false,
    });
  }

  /** Creates the collection and its payload indexes when missing (once per instance). */
  #ensureCollection(): Promise<void> {
    this.#ready ??= (async () => {
      const { exists } = await this.#client.collectionExists(this.collection);
      if (!exists) {
        await this.#client.createCollection(this.collection, {
          vectors: { size: STYLE_DIMENSIONS, distance: "Cosine" },
          quantization_config: { scalar: { type: "int8", always_ram: true } },
        });
      }
      for (const [field_name, field_schema] of PAYLOAD_INDEXES) {
        await this.#client.createPayloadIndex(this.collection, {
          field_name,
          field_schema,
          wait: true,
        });
      }
    })().catch((error) => {
      this.#ready = null;
      throw error;
    });
    return this.#ready;
  }

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    for (const p of points) checkVector(p.vector, `point ${p.photoId}`);
    if (points.length === 0) return;
    await this.#ensureCollection();
    const structs: Schemas["PointStruct"][] = await Promise.all(points.map(async (p) => ({
      id: await pointIdOf(p.photoId),
      vector: Array.from(p.vector),
      payload: {
        photoId: p.photoId,
        profileId: p.payload.profileId,
        admitted: p.payload.admitted,
        styleOptIn: p.payload.styleOptIn,
      } satisfies PointPayload,
    })));
    for (let i = 0; i < structs.length; i += 500) {
      await this.#client.upsert(this.collection, { wait: true, points: structs.slice(i, i + 500) });
    }
  }

  async delete(photoIds: readonly string[]): Promise<void> {
    if (photoIds.length === 0) return;
    await this.#ensureCollection();
    const ids = await Promise.all(photoIds.map(pointIdOf));
    await this.#client.delete(this.collection, { wait: true, points: ids });
  }

  async deleteProfile(profileId: string): Promise<void> {
    await this.#ensureCollection();
    await this.#client.delete(this.collection, { wait: true, filter: profileIs(profileId) });
  }

  async setPayload(
    profileId: string,
    patch: Partial<Omit<StylePayload, "profileId">>,
  ): Promise<void> {
    const payload: Partial<PointPayload> = {};
    if (patch.admitted !== undefined) payload.admitted = patch.admitted;
    if (patch.styleOptIn !== undefined) payload.styleOptIn = patch.styleOptIn;
    if (Object.keys(payload).length === 0) return;
    await this.#ensureCollection();
    await this.#client.setPayload(this.collection, {
      wait: true,
      payload,
      filter: profileIs(profileId),
    });
  }

  async search(query: VectorQuery): Promise<VectorMatch[]> {
    checkVector(query.vector, "query");
    checkK(query.k);
    await this.#ensureCollection();
    const must: Schemas["Condition"][] = [{ key: "admitted", match: { value: true } }];
    if (query.styleOptInOnly) must.push({ key: "styleOptIn", match: { value: true } });
    const filter: Schemas["Filter"] = { must };
    if (query.excludeProfileIds?.length) {
      filter.must_not = [{ key: "profileId", match: { any: [...query.excludeProfileIds] } }];
    }
    const response = await this.#client.query(this.collection, {
      query: Array.from(query.vector),
      filter,
      limit: query.k,
      with_payload: ["photoId", "profileId"],
      params: { quantization: { rescore: true } },
    });
    return response.points.map((point) => {
      const payload = (point.payload ?? {}) as Partial<PointPayload>;
      return {
        photoId: String(payload.photoId),
        profileId: String(payload.profileId),
        similarity: point.score,
      };
    });
  }

  async healthy(): Promise<boolean> {
    try {
      await this.#client.collectionExists(this.collection);
      return true;
    } catch {
      return false;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The Qdrant vector store for `config`; the collection is created on first use. */
export function createQdrantVectorStore(config: QdrantVectorsConfig): QdrantVectorStore {
  return new QdrantVectorStore(config);
}
