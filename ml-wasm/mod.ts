/**
 * Typed loader for the Rust photo-analysis core (`aurum_ml.wasm`).
 *
 * The module exports plain C-ABI functions; this file owns memory transfer, error mapping and
 * instance lifecycle: the module is compiled once, an instance is created lazily, a trap discards
 * it (the next call gets a fresh one), and an instance whose memory grew past a threshold is
 * recycled so that memory is bounded. Face-detector weights come from the installed npm package
 * `@vladmandic/face-api` (MIT) and are checked by SHA-256 before being passed to the core.
 */

/** Stable error codes produced by the core or the loader. */
export type MlErrorCode =
  | "empty_input"
  | "decode_failed"
  | "too_large"
  | "unsupported_format"
  | "bad_dimensions"
  | "invalid_argument"
  | "no_detector"
  | "weights_mismatch"
  | "trap"
  /** The worker pool's queue is full, or the pool was closed (`pool.ts`). */
  | "busy";

/** A typed failure of the ML core. */
export class MlError extends Error {
  constructor(readonly code: MlErrorCode, message: string) {
    super(`${code}: ${message}`);
    this.name = "MlError";
  }
}

/** A face box in source-image pixels (after EXIF orientation). */
export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
  score: number;
}

/** Deterministic features; see `ml-wasm/src/features.rs`. */
export type FeatureName =
  | "clip_highlights"
  | "clip_shadows"
  | "clipping"
  | "contrast"
  | "sharpness"
  | "noise"
  | "colourfulness"
  | "colour_cast"
  | "resolution"
  | "composition"
  | "face_present"
  | "face_count"
  | "face_confidence"
  | "face_size"
  | "face_clipping"
  | "face_cut_off";

export type Features = Record<FeatureName, number>;

/** Result of {@link analyzePhoto}. */
export interface Analysis {
  format: "jpeg" | "png";
  width: number;
  height: number;
  orientation: number;
  decodedWidth: number;
  decodedHeight: number;
  faces: FaceBox[];
  features: Features;
  embedding: { scale: number; values: number[] };
  flags: string[];
}

/** One feature of a model. */
export interface ModelFeature {
  name: string;
  group?: string;
  weight: number;
  mean: number;
  sd: number;
}

/** Versioned linear model weights (a small JSON document). */
export interface ModelWeights {
  version: string;
  points?: number;
  shrink?: number;
  features: ModelFeature[];
}

/** One feature's share of a score. */
export interface Contribution {
  feature: string;
  group: "technical" | "composition" | "face";
  value: number | null;
  z: number;
  weight: number;
  points: number;
}

/** Result of {@link scorePhoto}. */
export interface ScoreBreakdown {
  score: number;
  raw: number;
  base: number;
  contributions: Contribution[];
  groups: { technical: number; composition: number; face: number };
  communityOffset: { raw: number; comparisons: number; shrunk: number; points: number };
  confidence: number;
  posteriorSd: number;
  flags: string[];
  modelVersion: string;
}

/** A re-encoded rendition from {@link preparePhoto}. */
export interface Rendition {
  blurred: boolean;
  width: number;
  height: number;
  jpeg: Uint8Array;
}

/** A (winner, loser) comparison for {@link fitPreferences}. */
export interface PreferencePair {
  winner: Partial<Record<string, number>>;
  loser: Partial<Record<string, number>>;
}

/** Options for {@link fitPreferences}. */
export interface FitOptions {
  model?: ModelWeights;
  l2?: number;
  holdout?: number;
  seed?: number;
}

/** Result of {@link fitPreferences}. */
export interface FitResult {
  model: ModelWeights;
  trainAccuracy: number;
  heldOutAccuracy: number;
  nTrain: number;
  nHeldOut: number;
  iterations: number;
}

/** SHA-256 of the shipped tiny_face_detector files in @vladmandic/face-api 1.7.15. */
export const TINY_FACE_DETECTOR_SHA256 = {
  manifest: "5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5",
  shard: "b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871",
} as const;

/** Largest accepted encoded input. */
export const MAX_INPUT_BYTES = 40 * 1024 * 1024;
/** An instance whose linear memory grew past this is discarded after the call. */
export const RECYCLE_MEMORY_BYTES = 192 * 1024 * 1024;

const WASM_URL = new URL("./aurum_ml.wasm", import.meta.url);
const MODEL_DIR = new URL("../node_modules/@vladmandic/face-api/model/", import.meta.url);

type Fn = (...args: number[]) => number;
interface Exports {
  memory: WebAssembly.Memory;
  [name: string]: Fn | WebAssembly.Memory;
}

/** One live WASM instance. */
class Engine {
  alive = true;
  constructor(readonly exports: Exports) {}

  fn(name: string): Fn {
    return this.exports[name] as Fn;
  }

  get memory(): WebAssembly.Memory {
    return this.exports.memory;
  }

  /** Copies inputs in, runs `run(ptrs)`, maps status/trap, copies the result out. */
  call(inputs: Uint8Array[], run: (ptrs: number[]) => number): Uint8Array {
    const ptrs: number[] = [];
    try {
      for (const input of inputs) {
        const p = this.fn("ml_alloc")(input.length);
        new Uint8Array(this.memory.buffer, p, input.length).set(input);
        ptrs.push(p);
      }
      const status = run(ptrs);
      return this.result(status);
    } catch (e) {
      if (e instanceof WebAssembly.RuntimeError) {
        this.alive = false;
        throw new MlError("trap", `the core trapped and was reset (${e.message})`);
      }
      throw e;
    } finally {
      if (this.alive) {
        ptrs.forEach((p, i) => this.fn("ml_dealloc")(p, inputs[i].length));
      }
      if (this.memory.buffer.byteLength > RECYCLE_MEMORY_BYTES) this.alive = false;
    }
  }

  result(status: number): Uint8Array {
    const ptr = this.fn("ml_result_ptr")();
    const len = this.fn("ml_result_len")();
    const bytes = new Uint8Array(this.memory.buffer, ptr, len).slice();
    if (status === 0) return bytes;
    let parsed: { code?: MlErrorCode; message?: string } = {};
    try {
      parsed = JSON.parse(new TextDecoder().decode(bytes));
    } catch {
      parsed = { code: "trap", message: "unreadable error" };
    }
    throw new MlError(parsed.code ?? "trap", parsed.message ?? "unknown error");
  }
}

let compiled: Promise<WebAssembly.Module> | null = null;
let weights: Promise<{ manifest: Uint8Array; shard: Uint8Array }> | null = null;
let shared: Engine | null = null;

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const d = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(d), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function loadWeights(): Promise<{ manifest: Uint8Array; shard: Uint8Array }> {
  const manifest = await Deno.readFile(
    new URL("tiny_face_detector_model-weights_manifest.json", MODEL_DIR),
  );
  const shard = await Deno.readFile(new URL("tiny_face_detector_model.bin", MODEL_DIR));
  if (await sha256Hex(manifest) !== TINY_FACE_DETECTOR_SHA256.manifest) {
    throw new MlError("weights_mismatch", "tiny_face_detector manifest SHA-256 differs");
  }
  if (await sha256Hex(shard) !== TINY_FACE_DETECTOR_SHA256.shard) {
    throw new MlError("weights_mismatch", "tiny_face_detector shard SHA-256 differs");
  }
  return { manifest, shard };
}

async function newEngine(withDetector: boolean): Promise<Engine> {
  compiled ??= Deno.readFile(WASM_URL).then((b) => WebAssembly.compile(b));
  const instance = await WebAssembly.instantiate(await compiled, {});
  const engine = new Engine(instance.exports as unknown as Exports);
  if (withDetector) {
    weights ??= loadWeights();
    const w = await weights.catch((e) => {
      weights = null;
      throw e;
    });
    engine.call(
      [w.manifest, w.shard],
      ([m, s]) => engine.fn("ml_load_detector")(m, w.manifest.length, s, w.shard.length),
    );
  }
  return engine;
}

/** Returns the shared analysis instance, creating a fresh one if it was discarded. */
async function engine(): Promise<Engine> {
  if (!shared || !shared.alive) shared = await newEngine(true);
  return shared;
}

function checkInput(bytes: Uint8Array): void {
  if (bytes.length === 0) throw new MlError("empty_input", "input is empty");
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new MlError("too_large", `input exceeds ${MAX_INPUT_BYTES} bytes`);
  }
}

const enc = new TextEncoder();
const dec = new TextDecoder();
const json = <T>(b: Uint8Array): T => JSON.parse(dec.decode(b)) as T;

/** Loads the module and the face detector ahead of the first call; with `warm` (default) it also
 * analyses a small generated photo a few times so V8 has compiled the hot paths before real work. */
export async function initMl(options: { warm?: boolean } = {}): Promise<void> {
  const e = await engine();
  if (options.warm === false) return;
  const [w, h] = [320, 240];
  const rgb = new Uint8Array(w * h * 3);
  for (let i = 0; i < w * h; i++) rgb.set([i % 251, (i >> 8) % 253, (i * 7) % 255], i * 3);
  const jpeg = e.call([rgb], ([p]) => e.fn("ml_encode_jpeg")(p, rgb.length, w, h, 85));
  for (let i = 0; i < 3; i++) e.call([jpeg], ([p]) => e.fn("ml_analyze")(p, jpeg.length));
}

/** Analyses a JPEG or PNG: dimensions, faces, features, embedding and flags. */
export async function analyzePhoto(bytes: Uint8Array): Promise<Analysis> {
  checkInput(bytes);
  const e = await engine();
  return json(e.call([bytes], ([p]) => e.fn("ml_analyze")(p, bytes.length)));
}

/** Re-encodes upright, metadata-free JPEG renditions (longer side ≤ each size) and, unless
 * `blur` is false, a strongly blurred 96 px thumbnail. */
export async function preparePhoto(
  bytes: Uint8Array,
  sizes: number[],
  options: { quality?: number; blur?: boolean } = {},
): Promise<Rendition[]> {
  checkInput(bytes);
  const e = await engine();
  const opts = enc.encode(JSON.stringify({ sizes, ...options }));
  const out = e.call(
    [bytes, opts],
    ([p, o]) => e.fn("ml_prepare")(p, bytes.length, o, opts.length),
  );
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  const n = view.getUint32(0, true);
  const result: Rendition[] = [];
  let off = 4;
  for (let i = 0; i < n; i++) {
    const blurred = out[off] === 1;
    const width = view.getUint32(off + 1, true);
    const height = view.getUint32(off + 5, true);
    const len = view.getUint32(off + 9, true);
    off += 13;
    result.push({ blurred, width, height, jpeg: out.slice(off, off + len) });
    off += len;
  }
  return result;
}

/** The documented prior model. */
export async function defaultModel(): Promise<ModelWeights> {
  const e = await engine();
  return json(e.call([], () => e.fn("ml_default_model")()));
}

/** Scores an analysis with a model (the prior when omitted) and the photo's community signal. */
export async function scorePhoto(
  analysis: Pick<Analysis, "features" | "flags">,
  model?: ModelWeights | null,
  community: { offset?: number; comparisons?: number } = {},
): Promise<ScoreBreakdown> {
  const e = await engine();
  const body = enc.encode(JSON.stringify({
    features: analysis.features,
    flags: analysis.flags,
    model: model ?? null,
    offset: community.offset ?? 0,
    comparisons: community.comparisons ?? 0,
  }));
  return json(e.call([body], ([p]) => e.fn("ml_score")(p, body.length)));
}

/** Fits model weights from (winner, loser) feature pairs; reports held-out pairwise accuracy. */
export async function fitPreferences(
  pairs: PreferencePair[],
  options: FitOptions = {},
): Promise<FitResult> {
  const e = await engine();
  const body = enc.encode(JSON.stringify({ pairs, options }));
  return json(e.call([body], ([p]) => e.fn("ml_fit")(p, body.length)));
}

/** Percentile (0–100) of `score` within a population of scores. */
export function percentileOf(score: number, population: number[]): number {
  if (population.length === 0) return 50;
  const below = population.filter((s) => s < score).length;
  const equal = population.filter((s) => s === score).length;
  return (100 * (below + equal / 2)) / population.length;
}

/** A cosine top-k index over int8 vectors, living in its own WASM instance. */
export class VectorIndex {
  #engine: Engine;
  #handle: number;
  readonly dim: number;

  private constructor(engine: Engine, handle: number, dim: number) {
    this.#engine = engine;
    this.#handle = handle;
    this.dim = dim;
  }

  /** Creates an empty index. */
  static async create(dim = 256): Promise<VectorIndex> {
    const e = await newEngine(false);
    const h = e.fn("ml_index_new")(dim);
    if (h < 0) e.result(1);
    return new VectorIndex(e, h, dim);
  }

  /** Rebuilds an index from {@link VectorIndex.serialize} output. */
  static async deserialize(bytes: Uint8Array): Promise<VectorIndex> {
    const e = await newEngine(false);
    let h = -1;
    e.call([bytes], ([p]) => {
      h = e.fn("ml_index_deserialize")(p, bytes.length);
      return h < 0 ? 1 : 0;
    });
    return new VectorIndex(e, h, new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true));
  }

  #live(): Engine {
    if (!this.#engine.alive) throw new MlError("trap", "index instance was lost; rebuild it");
    return this.#engine;
  }

  get size(): number {
    return this.#live().fn("ml_index_len")(this.#handle);
  }

  /** Adds or replaces the vector stored under `id`. */
  add(id: string, vector: Int8Array): void {
    const e = this.#live();
    const idb = enc.encode(id);
    const v = new Uint8Array(vector.buffer, vector.byteOffset, vector.byteLength);
    e.call([idb, v], ([i, p]) => e.fn("ml_index_add")(this.#handle, i, idb.length, p, v.length));
  }

  /** Adds many vectors in one call. */
  addMany(entries: Iterable<[string, Int8Array]>): void {
    const parts: Uint8Array[] = [];
    let total = 0;
    for (const [id, vec] of entries) {
      const idb = enc.encode(id);
      const part = new Uint8Array(2 + idb.length + vec.length);
      new DataView(part.buffer).setUint16(0, idb.length, true);
      part.set(idb, 2);
      part.set(new Uint8Array(vec.buffer, vec.byteOffset, vec.byteLength), 2 + idb.length);
      parts.push(part);
      total += part.length;
    }
    const all = new Uint8Array(total);
    let off = 0;
    for (const p of parts) {
      all.set(p, off);
      off += p.length;
    }
    const e = this.#live();
    e.call([all], ([p]) => e.fn("ml_index_add_many")(this.#handle, p, all.length));
  }

  /** Removes `id`; returns whether it was present. */
  remove(id: string): boolean {
    const e = this.#live();
    const idb = enc.encode(id);
    const out = e.call([idb], ([i]) => e.fn("ml_index_remove")(this.#handle, i, idb.length));
    return dec.decode(out) === "1";
  }

  /** Top-k ids by cosine similarity, best first. */
  search(query: Int8Array, k = 10): { id: string; score: number }[] {
    const e = this.#live();
    const q = new Uint8Array(query.buffer, query.byteOffset, query.byteLength);
    return json(e.call([q], ([p]) => e.fn("ml_index_search")(this.#handle, p, q.length, k)));
  }

  /** Binary snapshot (magic, dim, count, entries) for persistence, e.g. in KV chunks. */
  serialize(): Uint8Array {
    const e = this.#live();
    return e.call([], () => e.fn("ml_index_serialize")(this.#handle));
  }
}

/** Lower-level calls used by tests, the bench and admin tools. */
export const mlInternals = {
  /** Decodes to upright RGB (longer side ≥ `target` when the JPEG allows scaling). */
  async decodeRgb(
    bytes: Uint8Array,
    target = 0,
  ): Promise<{ width: number; height: number; data: Uint8Array }> {
    checkInput(bytes);
    const e = await engine();
    const out = e.call([bytes], ([p]) => e.fn("ml_decode_rgb")(p, bytes.length, target));
    const v = new DataView(out.buffer);
    return { width: v.getUint32(0, true), height: v.getUint32(4, true), data: out.subarray(8) };
  },
  /** Encodes RGB pixels as a baseline JPEG. */
  async encodeJpeg(data: Uint8Array, width: number, height: number, quality = 90) {
    const e = await engine();
    return e.call([data], ([p]) => e.fn("ml_encode_jpeg")(p, data.length, width, height, quality));
  },
  /** Face detection on RGB pixels. */
  async detectRgb(data: Uint8Array, width: number, height: number): Promise<FaceBox[]> {
    const e = await engine();
    return json(e.call([data], ([p]) => e.fn("ml_detect_rgb")(p, data.length, width, height)));
  },
  /** Features and embedding of RGB pixels (no face stage). */
  async featuresRgb(data: Uint8Array, width: number, height: number) {
    const e = await engine();
    return json<{ features: Features; embedding: Analysis["embedding"] }>(
      e.call([data], ([p]) => e.fn("ml_features_rgb")(p, data.length, width, height)),
    );
  },
  /** Forces a trap inside the core (tests the reset path). */
  async debugTrap(): Promise<void> {
    const e = await engine();
    e.call([], () => e.fn("ml_debug_trap")());
  },
  /** Linear-memory size of the shared instance, in bytes. */
  async memoryBytes(): Promise<number> {
    return (await engine()).memory.buffer.byteLength;
  },
};
