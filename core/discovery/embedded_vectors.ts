/**
 * The embedded vector store: the WASM int8 cosine index in this process, its durable state in KV so
 * every instance rebuilds the same index, and a change log that keeps instances in step.
 *
 *   ["vector_points", photoId]   → { profileId, vector }        (vector: the int8 bytes)
 *   ["vector_payloads", profileId] → { admitted, styleOptIn }
 *   ["vector_version"]           → { seq }                      (bumped by every mutation)
 *   ["vector_changes", seq]      → the change seq made          (expires after a day)
 *
 * Every mutation is one atomic commit that checks the version key, writes the records, bumps the
 * version and appends its change, so mutations are totally ordered across instances. Before each
 * search and each mutation an instance reads the version key (one KV read) and applies the changes
 * it has not seen yet; when the log no longer reaches back far enough it rebuilds from the records.
 *
 * Two indexes are kept: every admitted point, and the admitted points of members who opted in to
 * style matching. Search therefore only filters out the excluded profiles, whose photos in the
 * index are counted exactly, so one search of `k + excluded photos` gives the exact top-k.
 */
import { z } from "zod";
import { VectorIndex } from "@/ml-wasm/mod.ts";
import { ConflictError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import {
  checkK,
  checkVector,
  MAX_SEARCH_WINDOW,
  STYLE_DIMENSIONS,
  type StylePayload,
  type VectorMatch,
  type VectorPoint,
  type VectorQuery,
  type VectorStore,
} from "./vector_store.ts";

/** How long a change stays in the log; an instance further behind rebuilds from the records. */
const CHANGE_TTL_MS = 24 * 60 * 60 * 1000;
/** Points written per commit (keeps a change entry under KV's 64 KiB value limit). */
const POINTS_PER_COMMIT = 100;

const pointKey = (photoId: string): Deno.KvKey => ["vector_points", photoId];
const payloadKey = (profileId: string): Deno.KvKey => ["vector_payloads", profileId];
const VERSION_KEY: Deno.KvKey = ["vector_version"];
const changeKey = (seq: number): Deno.KvKey => ["vector_changes", seq];

const bytes = z.instanceof(Uint8Array).refine((b) => b.length === STYLE_DIMENSIONS);
const pointRecordSchema = z.object({ profileId: z.string(), vector: bytes });
const payloadRecordSchema = z.object({ admitted: z.boolean(), styleOptIn: z.boolean() });
const versionSchema = z.object({ seq: z.number().int().min(0) });
const changeSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("points"),
    points: z.array(z.object({ photoId: z.string(), profileId: z.string(), vector: bytes })),
    payloads: z.array(
      z.object({ profileId: z.string(), admitted: z.boolean(), styleOptIn: z.boolean() }),
    ),
  }),
  z.object({
    kind: z.literal("delete"),
    photoIds: z.array(z.string()),
    /** Set when the profile's payload is dropped too (deleteProfile). */
    profileId: z.string().optional(),
  }),
  z.object({
    kind: z.literal("payload"),
    profileId: z.string(),
    admitted: z.boolean(),
    styleOptIn: z.boolean(),
  }),
]);
type Change = z.infer<typeof changeSchema>;
type PointsChange = Extract<Change, { kind: "points" }>;
type Payload = z.infer<typeof payloadRecordSchema>;

const NO_PAYLOAD: Payload = { admitted: false, styleOptIn: false };

const asBytes = (v: Int8Array): Uint8Array<ArrayBuffer> =>
  Uint8Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
const asInt8 = (b: Uint8Array) => new Int8Array(b.buffer, b.byteOffset, b.byteLength);

/** The in-memory image of the KV records at one version. */
class IndexState {
  points = new Map<string, { profileId: string; vector: Int8Array }>();
  byProfile = new Map<string, Set<string>>();
  payloads = new Map<string, Payload>();
  seq = 0;
  versionstamp: string | null = null;

  private constructor(readonly all: VectorIndex, readonly optedIn: VectorIndex) {}

  static async create(): Promise<IndexState> {
    return new IndexState(
      await VectorIndex.create(STYLE_DIMENSIONS),
      await VectorIndex.create(STYLE_DIMENSIONS),
    );
  }

  payloadOf(profileId: string): Payload {
    return this.payloads.get(profileId) ?? NO_PAYLOAD;
  }

  /** Puts `photoId` into (or out of) each index according to its profile's payload. */
  place(photoId: string): void {
    const point = this.points.get(photoId);
    const payload = point ? this.payloadOf(point.profileId) : NO_PAYLOAD;
    if (point && payload.admitted) this.all.add(photoId, point.vector);
    else this.all.remove(photoId);
    if (point && payload.admitted && payload.styleOptIn) this.optedIn.add(photoId, point.vector);
    else this.optedIn.remove(photoId);
  }

  setPoint(photoId: string, profileId: string, vector: Int8Array): void {
    const previous = this.points.get(photoId);
    if (previous && previous.profileId !== profileId) {
      this.byProfile.get(previous.profileId)?.delete(photoId);
    }
    this.points.set(photoId, { profileId, vector });
    let set = this.byProfile.get(profileId);
    if (!set) this.byProfile.set(profileId, set = new Set());
    set.add(photoId);
  }

  dropPoint(photoId: string): void {
    const previous = this.points.get(photoId);
    if (!previous) return;
    this.points.delete(photoId);
    const set = this.byProfile.get(previous.profileId);
    set?.delete(photoId);
    if (set?.size === 0) this.byProfile.delete(previous.profileId);
    this.place(photoId);
  }

  /** Applies one logged change (idempotent: applying it again leaves the same state). */
  apply(change: Change): void {
    if (change.kind === "points") {
      for (const p of change.payloads) {
        this.payloads.set(p.profileId, { admitted: p.admitted, styleOptIn: p.styleOptIn });
      }
      const touched = new Set<string>();
      for (const p of change.points) {
        this.setPoint(p.photoId, p.profileId, asInt8(p.vector));
        touched.add(p.photoId);
      }
      for (const p of change.payloads) {
        for (const id of this.byProfile.get(p.profileId) ?? []) touched.add(id);
      }
      for (const id of touched) this.place(id);
    } else if (change.kind === "delete") {
      for (const id of change.photoIds) this.dropPoint(id);
      if (change.profileId) {
        for (const id of [...this.byProfile.get(change.profileId) ?? []]) this.dropPoint(id);
        this.payloads.delete(change.profileId);
      }
    } else {
      this.payloads.set(change.profileId, {
        admitted: change.admitted,
        styleOptIn: change.styleOptIn,
      });
      for (const id of this.byProfile.get(change.profileId) ?? []) this.place(id);
    }
  }

  /** Loads every record (at start, or when the change log no longer reaches back far enough). */
  async load(kv: Deno.Kv): Promise<void> {
    for await (const entry of kv.list({ prefix: ["vector_payloads"] })) {
      this.payloads.set(String(entry.key[1]), payloadRecordSchema.parse(entry.value));
    }
    const admitted: [string, Int8Array][] = [];
    const optedIn: [string, Int8Array][] = [];
    for await (const entry of kv.list({ prefix: ["vector_points"] }, { batchSize: 500 })) {
      const photoId = String(entry.key[1]);
      const record = pointRecordSchema.parse(entry.value);
      const vector = asInt8(record.vector);
      this.setPoint(photoId, record.profileId, vector);
      const payload = this.payloadOf(record.profileId);
      if (payload.admitted) admitted.push([photoId, vector]);
      if (payload.admitted && payload.styleOptIn) optedIn.push([photoId, vector]);
    }
    for (let i = 0; i < admitted.length; i += 5000) this.all.addMany(admitted.slice(i, i + 5000));
    for (let i = 0; i < optedIn.length; i += 5000) {
      this.optedIn.addMany(optedIn.slice(i, i + 5000));
    }
  }
}

/** The embedded {@link VectorStore}: an in-process WASM index kept in step through KV. */
export class EmbeddedVectorStore implements VectorStore {
  readonly kind = "embedded";
  #kv: Deno.Kv;
  #state: IndexState | null = null;
  #lock: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(kv: Deno.Kv) {
    this.#kv = kv;
  }

  /** Runs `fn` after every earlier state operation of this instance (one at a time). */
  #serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(() => {
      if (this.#closed) throw new Error("the vector store is closed");
      return fn();
    });
    this.#lock = run.catch(() => {});
    return run;
  }

  /** Brings the in-memory index to the latest version in KV and returns it. */
  #catchUp(): Promise<IndexState> {
    return this.#serial(async () => {
      if (!this.#state) this.#state = await this.#rebuild();
      const state = this.#state;
      const version = await this.#kv.get(VERSION_KEY);
      const seq = version.versionstamp === null ? 0 : versionSchema.parse(version.value).seq;
      if (seq === state.seq) {
        state.versionstamp = version.versionstamp;
        return state;
      }
      if (!(await this.#replay(state, seq))) return this.#state = await this.#rebuild();
      state.versionstamp = version.versionstamp;
      return state;
    });
  }

  /** Applies changes after `state.seq` up to `seq`; false when some are gone from the log. */
  async #replay(state: IndexState, seq: number): Promise<boolean> {
    let next = state.seq + 1;
    const entries = this.#kv.list({ start: changeKey(next), end: changeKey(seq + 1) });
    for await (const entry of entries) {
      if (entry.key[1] !== next) return false;
      state.apply(changeSchema.parse(entry.value));
      state.seq = next++;
    }
    return next === seq + 1;
  }

  async #rebuild(): Promise<IndexState> {
    for (;;) {
      const state = await IndexState.create();
      const before = await this.#kv.get(VERSION_KEY);
      state.seq = before.versionstamp === null ? 0 : versionSchema.parse(before.value).seq;
      state.versionstamp = before.versionstamp;
      await state.load(this.#kv);
      // Changes committed while loading are applied again on top (changes are idempotent).
      const after = await this.#kv.get(VERSION_KEY);
      const seq = after.versionstamp === null ? 0 : versionSchema.parse(after.value).seq;
      if (seq === state.seq || await this.#replay(state, seq)) {
        state.versionstamp = after.versionstamp;
        return state;
      }
    }
  }

  /** Commits one change with its record writes, ordered after every change this instance saw. */
  async #mutate(change: Change, write: (op: Deno.AtomicOperation) => void): Promise<void> {
    await commitWithRetry(async () => {
      const state = await this.#catchUp();
      const op = this.#kv.atomic()
        .check({ key: VERSION_KEY, versionstamp: state.versionstamp })
        .set(VERSION_KEY, { seq: state.seq + 1 })
        .set(changeKey(state.seq + 1), change, { expireIn: CHANGE_TTL_MS });
      write(op);
      return { op, value: undefined };
    }, () => new ConflictError("vector_store_busy", "The vector store is busy; try again."));
    await this.#catchUp();
  }

  async upsert(points: readonly VectorPoint[]): Promise<void> {
    for (const p of points) checkVector(p.vector, `point ${p.photoId}`);
    for (let i = 0; i < points.length; i += POINTS_PER_COMMIT) {
      const chunk = points.slice(i, i + POINTS_PER_COMMIT);
      const payloads = new Map<string, Payload>();
      for (const p of chunk) {
        payloads.set(p.payload.profileId, {
          admitted: p.payload.admitted,
          styleOptIn: p.payload.styleOptIn,
        });
      }
      const change: PointsChange = {
        kind: "points",
        points: chunk.map((p) => ({
          photoId: p.photoId,
          profileId: p.payload.profileId,
          vector: asBytes(p.vector),
        })),
        payloads: [...payloads].map(([profileId, p]) => ({ profileId, ...p })),
      };
      await this.#mutate(change, (op) => {
        for (const p of change.points) {
          op.set(pointKey(p.photoId), { profileId: p.profileId, vector: p.vector });
        }
        for (const p of change.payloads) {
          op.set(payloadKey(p.profileId), { admitted: p.admitted, styleOptIn: p.styleOptIn });
        }
      });
    }
  }

  async delete(photoIds: readonly string[]): Promise<void> {
    for (let i = 0; i < photoIds.length; i += POINTS_PER_COMMIT) {
      const chunk = photoIds.slice(i, i + POINTS_PER_COMMIT);
      await this.#mutate({ kind: "delete", photoIds: [...chunk] }, (op) => {
        for (const id of chunk) op.delete(pointKey(id));
      });
    }
  }

  async deleteProfile(profileId: string): Promise<void> {
    // The version check makes the photo list read here exact at commit time.
    await commitWithRetry(async () => {
      const state = await this.#catchUp();
      const photoIds = [...state.byProfile.get(profileId) ?? []];
      const change: Change = { kind: "delete", photoIds, profileId };
      const op = this.#kv.atomic()
        .check({ key: VERSION_KEY, versionstamp: state.versionstamp })
        .set(VERSION_KEY, { seq: state.seq + 1 })
        .set(changeKey(state.seq + 1), change, { expireIn: CHANGE_TTL_MS })
        .delete(payloadKey(profileId));
      for (const id of photoIds) op.delete(pointKey(id));
      return { op, value: undefined };
    }, () => new ConflictError("vector_store_busy", "The vector store is busy; try again."));
    await this.#catchUp();
  }

  async setPayload(
    profileId: string,
    patch: Partial<Omit<StylePayload, "profileId">>,
  ): Promise<void> {
    await commitWithRetry(async () => {
      const state = await this.#catchUp();
      const current = state.payloadOf(profileId);
      const next: Payload = {
        admitted: patch.admitted ?? current.admitted,
        styleOptIn: patch.styleOptIn ?? current.styleOptIn,
      };
      const op = this.#kv.atomic()
        .check({ key: VERSION_KEY, versionstamp: state.versionstamp })
        .set(VERSION_KEY, { seq: state.seq + 1 })
        .set(changeKey(state.seq + 1), { kind: "payload", profileId, ...next }, {
          expireIn: CHANGE_TTL_MS,
        })
        .set(payloadKey(profileId), next);
      return { op, value: undefined };
    }, () => new ConflictError("vector_store_busy", "The vector store is busy; try again."));
    await this.#catchUp();
  }

  async search(query: VectorQuery): Promise<VectorMatch[]> {
    checkVector(query.vector, "query");
    checkK(query.k);
    const state = await this.#catchUp();
    const index = query.styleOptInOnly ? state.optedIn : state.all;
    const excluded = new Set(query.excludeProfileIds ?? []);
    // Exactly the excluded photos present in this index: the top k + hidden hold the top k kept.
    let hidden = 0;
    for (const profileId of excluded) {
      const payload = state.payloadOf(profileId);
      if (!payload.admitted || (query.styleOptInOnly && !payload.styleOptIn)) continue;
      hidden += state.byProfile.get(profileId)?.size ?? 0;
    }
    const window = Math.min(index.size, query.k + hidden, MAX_SEARCH_WINDOW);
    if (window === 0) return [];
    const matches: VectorMatch[] = [];
    for (const { id, score } of index.search(query.vector, window)) {
      const point = state.points.get(id);
      if (!point || excluded.has(point.profileId)) continue;
      matches.push({ photoId: id, profileId: point.profileId, similarity: score });
      if (matches.length === query.k) break;
    }
    return matches;
  }

  async healthy(): Promise<boolean> {
    try {
      await this.#catchUp();
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    await this.#lock;
    this.#closed = true;
    this.#state = null;
  }
}

/** The embedded vector store over `kv`; the index is built from KV on first use. */
export function createEmbeddedVectorStore(kv: Deno.Kv): EmbeddedVectorStore {
  return new EmbeddedVectorStore(kv);
}
