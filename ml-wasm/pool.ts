/**
 * A bounded pool of module workers running the photo core off the event loop.
 *
 * Decoding and analysing a photo is synchronous WASM work that can take hundreds of milliseconds;
 * on the main thread it would stall every other request. The pool offers the same calls as
 * `mod.ts` (`analyzePhoto`, `preparePhoto`, `scorePhoto`, `defaultModel`, `fitPreferences`), runs
 * each in one of at most `size` workers (started on first use, one call at a time each), queues at
 * most `maxQueue` calls beyond those and refuses the rest with `MlError("busy")`. A worker that
 * crashes or overruns `jobTimeoutMs` is terminated (its call fails with `trap`) and replaced on
 * demand. A queued call holds only a reference to its input; when it starts, the bytes are copied
 * once into a fresh buffer that is transferred to the worker; rendition bytes are transferred back. `close()` terminates every worker and fails what is still queued.
 */
import {
  type Analysis,
  type FitOptions,
  type FitResult,
  MlError,
  type MlErrorCode,
  type ModelWeights,
  type PreferencePair,
  type Rendition,
  type ScoreBreakdown,
} from "./mod.ts";

/** A call sent to a worker. */
export type PoolRequest =
  | { id: number; op: "analyzePhoto"; args: [Uint8Array] }
  | {
    id: number;
    op: "preparePhoto";
    args: [Uint8Array, number[], { quality?: number; blur?: boolean }?];
  }
  | {
    id: number;
    op: "scorePhoto";
    args: [
      Pick<Analysis, "features" | "flags">,
      (ModelWeights | null)?,
      { offset?: number; comparisons?: number }?,
    ];
  }
  | { id: number; op: "defaultModel"; args: [] }
  | { id: number; op: "fitPreferences"; args: [PreferencePair[], FitOptions?] };

/** A worker's answer. */
export type PoolReply =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; code: MlErrorCode; message: string };

/** Options of {@link createMlPool}. */
export interface MlPoolOptions {
  /** Most workers at once; default `min(2, navigator.hardwareConcurrency)`. */
  size?: number;
  /** Most calls waiting for a worker; default 64 (an upload makes three). */
  maxQueue?: number;
  /** A call running longer than this terminates its worker; default 60 s. */
  jobTimeoutMs?: number;
}

/** Counters of a pool, for tests and metrics. */
export interface MlPoolStats {
  size: number;
  workers: number;
  busy: number;
  queued: number;
  completed: number;
  refused: number;
  crashed: number;
}

/** The photo core behind a worker pool. */
export interface MlPool {
  analyzePhoto(bytes: Uint8Array): Promise<Analysis>;
  preparePhoto(
    bytes: Uint8Array,
    sizes: number[],
    options?: { quality?: number; blur?: boolean },
  ): Promise<Rendition[]>;
  scorePhoto(
    analysis: Pick<Analysis, "features" | "flags">,
    model?: ModelWeights | null,
    community?: { offset?: number; comparisons?: number },
  ): Promise<ScoreBreakdown>;
  defaultModel(): Promise<ModelWeights>;
  fitPreferences(pairs: PreferencePair[], options?: FitOptions): Promise<FitResult>;
  stats(): MlPoolStats;
  /** Terminates every worker; queued and running calls fail with `busy`. Idempotent. */
  close(): Promise<void>;
}

/** The default worker count: `min(2, cores)`. */
export function defaultPoolSize(): number {
  const cores = Math.floor(Number(globalThis.navigator?.hardwareConcurrency)) || 1;
  return Math.max(1, Math.min(2, cores));
}

type Job = {
  request: Omit<PoolRequest, "id">;
  /** Which argument is photo bytes, copied (once) and transferred when the call starts. */
  bytesArg?: 0;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
};

interface Slot {
  worker: Worker;
  job: (Job & { id: number; timer?: ReturnType<typeof setTimeout> }) | null;
}

const WORKER_URL = new URL("./worker.ts", import.meta.url);

/** Copies `bytes` once into a buffer of its own, which is then transferred to the worker. */
function owned(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.slice() as Uint8Array<ArrayBuffer>;
}

/** Creates a pool; no worker starts until the first call. */
export function createMlPool(options: MlPoolOptions = {}): MlPool {
  const size = Math.max(1, Math.floor(options.size ?? defaultPoolSize()));
  const maxQueue = Math.max(0, Math.floor(options.maxQueue ?? 64));
  const jobTimeoutMs = options.jobTimeoutMs ?? 60_000;
  const slots: Slot[] = [];
  const queue: Job[] = [];
  let nextId = 1;
  let closed = false;
  const counts = { completed: 0, refused: 0, crashed: 0 };

  function finish(slot: Slot): Job | null {
    const job = slot.job;
    if (job?.timer !== undefined) clearTimeout(job.timer);
    slot.job = null;
    return job;
  }

  function discard(slot: Slot, error: MlError): void {
    const job = finish(slot);
    slot.worker.terminate();
    slots.splice(slots.indexOf(slot), 1);
    counts.crashed++;
    job?.reject(error);
    pump();
  }

  function spawn(): Slot {
    const worker = new Worker(WORKER_URL, { type: "module", name: "aurum-ml" });
    const slot: Slot = { worker, job: null };
    worker.onmessage = (event: MessageEvent<PoolReply>) => {
      const reply = event.data;
      if (!slot.job || slot.job.id !== reply.id) return;
      const job = finish(slot)!;
      counts.completed++;
      if (reply.ok) job.resolve(reply.value);
      else job.reject(new MlError(reply.code, reply.message));
      pump();
    };
    worker.onerror = (event: ErrorEvent) => {
      event.preventDefault();
      discard(slot, new MlError("trap", `the photo worker failed (${event.message})`));
    };
    worker.onmessageerror = () => {
      discard(slot, new MlError("trap", "the photo worker sent an unreadable message"));
    };
    slots.push(slot);
    return slot;
  }

  function start(slot: Slot, job: Job): void {
    const id = nextId++;
    const running: Slot["job"] = { ...job, id };
    slot.job = running;
    if (jobTimeoutMs > 0 && Number.isFinite(jobTimeoutMs)) {
      running.timer = setTimeout(() => {
        if (slot.job === running) {
          discard(slot, new MlError("trap", `the photo worker took over ${jobTimeoutMs} ms`));
        }
      }, jobTimeoutMs);
    }
    const args: unknown[] = [...job.request.args];
    const transfer: ArrayBuffer[] = [];
    if (job.bytesArg === 0) {
      const input = owned(args[0] as Uint8Array);
      args[0] = input;
      transfer.push(input.buffer);
    }
    const request = { ...job.request, args, id } as PoolRequest;
    slot.worker.postMessage(request, transfer);
  }

  function pump(): void {
    while (!closed && queue.length > 0) {
      const slot = slots.find((s) => s.job === null) ?? (slots.length < size ? spawn() : null);
      if (!slot) return;
      start(slot, queue.shift()!);
    }
  }

  function call<T>(request: Omit<PoolRequest, "id">, bytesArg?: 0): Promise<T> {
    if (closed) return Promise.reject(new MlError("busy", "the photo pool is closed"));
    const idle = slots.some((s) => s.job === null) || slots.length < size;
    if (!idle && queue.length >= maxQueue) {
      counts.refused++;
      return Promise.reject(new MlError("busy", "too many photos are being processed"));
    }
    return new Promise<T>((resolve, reject) => {
      queue.push({ request, bytesArg, resolve: resolve as (v: unknown) => void, reject });
      pump();
    });
  }

  return {
    analyzePhoto(bytes) {
      return call({ op: "analyzePhoto", args: [bytes] }, 0);
    },
    preparePhoto(bytes, sizes, opts) {
      return call({ op: "preparePhoto", args: [bytes, sizes, opts] }, 0);
    },
    scorePhoto(analysis, model, community) {
      return call({ op: "scorePhoto", args: [analysis, model, community] });
    },
    defaultModel() {
      return call({ op: "defaultModel", args: [] });
    },
    fitPreferences(pairs, opts) {
      return call({ op: "fitPreferences", args: [pairs, opts] });
    },
    stats() {
      return {
        size,
        workers: slots.length,
        busy: slots.filter((s) => s.job !== null).length,
        queued: queue.length,
        ...counts,
      };
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      const gone = new MlError("busy", "the photo pool is closed");
      for (const slot of slots.splice(0)) {
        const job = finish(slot);
        slot.worker.terminate();
        job?.reject(gone);
      }
      for (const job of queue.splice(0)) job.reject(gone);
      return Promise.resolve();
    },
  };
}
