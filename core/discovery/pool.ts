/**
 * The candidate pool the ranking scores: every profile with what ordering needs (main photo's
 * features and style embedding, filter fields, recent exposure). Built from KV by one scan of
 * `["profiles"]`, `["photo_analysis"]` and the exposure counters, and kept in process for
 * {@link POOL_TTL_MS} per KV handle. The pool only orders: every hard rule (hidden, admitted,
 * blocked, matched, signalled, passed, who each wants to meet) is checked again against KV for the
 * profiles picked, so a
 * stale pool can order badly for a minute but never show someone it must not.
 */
import type { Clock } from "@/core/clock.ts";
import {
  type MeetingFields,
  type PreparedFilterFields,
  prepareFilterFields,
  type Profile,
  profileRecordSchema,
} from "@/core/profiles/mod.ts";
import { z } from "zod";
import { photoAnalysisSchema } from "@/core/scoring/photo_analysis.ts";
import { exposureCounts } from "./feedback.ts";

/** How long a built pool is used before it is built again. */
export const POOL_TTL_MS = 60_000;
/** Number of style clusters (sign patterns of {@link CLUSTER_PLANES} fixed hyperplanes). */
const CLUSTER_PLANES = 3;
const EMBEDDING_DIM = 256;

/** One profile as the ranking sees it. */
export interface Candidate {
  id: string;
  wallet: string;
  createdAt: number;
  hidden: boolean;
  profile: Pick<Profile, "dateOfBirth" | "university" | "graduationYear" | "vibeTags">;
  /** Gender and who they want to meet: a hard filter only, never a ranking input. */
  meeting: MeetingFields;
  /** The filter fields prepared for `preferenceMatcher`. */
  prepared: PreparedFilterFields;
  /** The main photo's deterministic features, or null without an analysed photo. */
  features: Record<string, number> | null;
  /** The main photo's style embedding, L2-normalised, or null. */
  embedding: Float32Array | null;
  /** Style cluster of the embedding (0 without one). */
  cluster: number;
  /** Impressions over the exposure window (this process adds its own as it records them). */
  exposure: number;
}

/** The pool at one moment. */
export interface CandidatePool {
  builtAt: number;
  candidates: Candidate[];
  byId: Map<string, Candidate>;
  byWallet: Map<string, Candidate>;
  /** Feature columns built so far (see {@link featureColumn}). */
  columns: Map<string, Float64Array>;
}

/**
 * One feature of every candidate, in pool order (NaN where the candidate has no features or the
 * value is not finite); built once per pool and feature.
 */
export function featureColumn(pool: CandidatePool, name: string): Float64Array {
  let column = pool.columns.get(name);
  if (!column) {
    column = new Float64Array(pool.candidates.length);
    pool.candidates.forEach((c, i) => {
      const x = c.features?.[name];
      column![i] = typeof x === "number" && Number.isFinite(x) ? x : NaN;
    });
    pool.columns.set(name, column);
  }
  return column;
}

/** Fixed hyperplanes for the style clusters, from a seeded generator (the same in every process). */
const PLANES: Float32Array[] = (() => {
  let state = 0x9e3779b9;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
  return Array.from(
    { length: CLUSTER_PLANES },
    () => Float32Array.from({ length: EMBEDDING_DIM }, next),
  );
})();

/** The style cluster of a normalised embedding. */
export function clusterOf(embedding: Float32Array | null): number {
  if (!embedding) return 0;
  let cluster = 0;
  for (let i = 0; i < PLANES.length; i++) {
    const plane = PLANES[i];
    const n = Math.min(plane.length, embedding.length);
    let dot = 0;
    for (let j = 0; j < n; j++) dot += plane[j] * embedding[j];
    if (dot > 0) cluster |= 1 << i;
  }
  return cluster;
}

/** `values` scaled to unit length as 32-bit floats, or null for the zero vector. */
function normalised(values: number[]): Float32Array | null {
  const vector = Float32Array.from(values);
  let norm = 0;
  for (let i = 0; i < vector.length; i++) norm += vector[i] * vector[i];
  if (norm === 0) return null;
  const scale = 1 / Math.sqrt(norm);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}

/**
 * The photo analysis schema with the embedding's values checked by one loop rather than one schema
 * per value (the same rule: whole numbers in [-128, 127]); the pool reads every main photo's.
 */
const poolAnalysisSchema = photoAnalysisSchema.extend({
  embedding: z.object({
    scale: z.number(),
    values: z.custom<number[]>(
      (v) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= -128 && x <= 127),
      "must be whole numbers in [-128, 127]",
    ),
  }),
});

/** Builds the pool from KV at `now`: the three scans run at once. */
export async function buildPool(kv: Deno.Kv, now: number): Promise<CandidatePool> {
  const profiles: Profile[] = [];
  const analysisEntries: Deno.KvEntry<unknown>[] = [];
  const [, , exposure] = await Promise.all([
    (async () => {
      for await (const entry of kv.list({ prefix: ["profiles"] }, { batchSize: 500 })) {
        profiles.push(profileRecordSchema.parse(entry.value));
      }
    })(),
    (async () => {
      for await (const entry of kv.list({ prefix: ["photo_analysis"] }, { batchSize: 500 })) {
        analysisEntries.push(entry);
      }
    })(),
    exposureCounts(kv, now),
  ]);
  const mainPhotos = new Set(profiles.flatMap((p) => p.photos[0] ? [p.photos[0].id] : []));
  const analyses = new Map<string, { features: Record<string, number>; values: number[] }>();
  for (const entry of analysisEntries) {
    if (!mainPhotos.has(String(entry.key[1]))) continue;
    const analysis = poolAnalysisSchema.parse(entry.value);
    analyses.set(analysis.photoId, {
      features: analysis.features,
      values: analysis.embedding.values,
    });
  }
  const candidates = profiles.map((profile): Candidate => {
    const analysis = profile.photos[0] ? analyses.get(profile.photos[0].id) : undefined;
    const embedding = analysis ? normalised(analysis.values) : null;
    return {
      id: profile.id,
      wallet: profile.wallet,
      createdAt: profile.createdAt,
      hidden: profile.hidden,
      profile: {
        dateOfBirth: profile.dateOfBirth,
        university: profile.university,
        graduationYear: profile.graduationYear,
        vibeTags: profile.vibeTags,
      },
      meeting: { gender: profile.gender, interestedIn: profile.interestedIn },
      prepared: prepareFilterFields(profile),
      features: analysis?.features ?? null,
      embedding,
      cluster: clusterOf(embedding),
      exposure: exposure.get(profile.id) ?? 0,
    };
  });
  return {
    builtAt: now,
    candidates,
    byId: new Map(candidates.map((c) => [c.id, c])),
    byWallet: new Map(candidates.map((c) => [c.wallet, c])),
    columns: new Map(),
  };
}

const pools = new WeakMap<
  Deno.Kv,
  { pool: CandidatePool | null; building: Promise<void> | null }
>();

/** The pool of `kv`, built again when older than {@link POOL_TTL_MS} (one build at a time). */
export async function candidatePool(deps: { kv: Deno.Kv; clock: Clock }): Promise<CandidatePool> {
  let slot = pools.get(deps.kv);
  if (!slot) pools.set(deps.kv, slot = { pool: null, building: null });
  const now = deps.clock.now();
  const fresh = (pool: CandidatePool | null) =>
    pool !== null && pool.builtAt <= now && now - pool.builtAt < POOL_TTL_MS;
  while (!fresh(slot.pool)) {
    if (!slot.building) {
      const s = slot;
      s.building = buildPool(deps.kv, now).then((pool) => {
        s.pool = pool;
      }).finally(() => {
        s.building = null;
      });
    }
    await slot.building;
    if (slot.pool && slot.pool.builtAt <= now) break;
  }
  return slot.pool!;
}

/** Adds impressions this process just recorded to its pool's exposure counts. */
export function noteExposure(kv: Deno.Kv, profileIds: string[]): void {
  const pool = pools.get(kv)?.pool;
  if (!pool) return;
  for (const id of new Set(profileIds)) {
    const candidate = pool.byId.get(id);
    if (candidate) candidate.exposure++;
  }
}

/** Drops the pool of `kv`, so the next ranking builds it again (after bulk changes, in tasks). */
export function forgetPool(kv: Deno.Kv): void {
  pools.delete(kv);
}
