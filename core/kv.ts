/**
 * Shared Deno KV primitives: batched reads, the retry loop of optimistic atomic commits, and a memo
 * of entries already seen (checked by versionstamp in the commit that relies on them).
 */

/** Attempts an optimistic KV operation makes before giving up with a ConflictError. */
export const MAX_COMMIT_ATTEMPTS = 40;

/** Waits a short, randomly jittered, exponentially growing time (≤ ~40 ms) before attempt `attempt + 1`. */
export function backoff(attempt: number): Promise<void> {
  if (attempt === 0) return Promise.resolve();
  const ceiling = Math.min(40, 2 ** Math.min(attempt, 6));
  const [random] = crypto.getRandomValues(new Uint32Array(1));
  const ms = (random / 0x1_0000_0000) * ceiling;
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Reads any number of keys, 10 per `kv.getMany` (its limit) with the batches in flight at once; entries in key order, absent ones included. */
export async function getMany<T = unknown>(
  kv: Deno.Kv,
  keys: readonly Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const batches: Deno.KvKey[][] = [];
  for (let i = 0; i < keys.length; i += 10) batches.push(keys.slice(i, i + 10));
  return (await Promise.all(batches.map((batch) => kv.getMany<T[]>(batch)))).flat();
}

/**
 * What one attempt of {@link commitWithRetry} decided: commit `op` and yield `value` if it lands,
 * finish with `value` without committing, or (null) read again.
 */
export type CommitStep<T> =
  | {
    op: Deno.AtomicOperation;
    value: T;
    /** Called with the commit's versionstamp (that of every key it wrote) when it lands. */
    landed?: (versionstamp: string) => void;
  }
  | { value: T }
  | null;

/** Options of {@link commitWithRetry}. */
export interface CommitRetryOptions {
  /** Attempts before giving up (default {@link MAX_COMMIT_ATTEMPTS}). */
  attempts?: number;
  /** Waits before attempt `attempt` (default {@link backoff}); null retries at once. */
  pause?: ((attempt: number) => Promise<void>) | null;
}

/**
 * Runs an optimistic read → check → commit: `step` reads and returns a {@link CommitStep}; a commit
 * that loses a versionstamp race runs `step` again, up to `attempts` times, then throws `conflict()`.
 */
export async function commitWithRetry<T>(
  step: (attempt: number) => CommitStep<T> | Promise<CommitStep<T>>,
  conflict: () => Error,
  options: CommitRetryOptions = {},
): Promise<T> {
  const attempts = options.attempts ?? MAX_COMMIT_ATTEMPTS;
  const pause = options.pause === undefined ? backoff : options.pause;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (pause) await pause(attempt);
    const next = await step(attempt);
    if (next === null) continue;
    if (!("op" in next)) return next.value;
    const result = await next.op.commit();
    if (result.ok) {
      next.landed?.(result.versionstamp);
      return next.value;
    }
  }
  throw conflict();
}

/** Deletes every key under `prefix`, 500 per commit (unchecked: for data no one writes any more). */
export async function deleteByPrefix(kv: Deno.Kv, prefix: Deno.KvKey): Promise<number> {
  let deleted = 0;
  let batch: Deno.KvKey[] = [];
  const flush = async () => {
    const op = kv.atomic();
    for (const key of batch) op.delete(key);
    await op.commit();
    deleted += batch.length;
    batch = [];
  };
  for await (const entry of kv.list({ prefix })) {
    batch.push(entry.key);
    if (batch.length === 500) await flush();
  }
  if (batch.length) await flush();
  return deleted;
}

/** An entry as a memo keeps it: the value (already validated) and its versionstamp. */
export interface MemoEntry<T = unknown> {
  value: T;
  versionstamp: string;
}

/**
 * A bounded in-process memo of KV entries last read or written, so that a hot path can skip a read.
 * Never a source of truth: a commit built on a memoized entry checks its versionstamp, so an entry
 * changed elsewhere (another instance, another code path) only costs a failed commit and a fresh read.
 * The oldest entries go first once `capacity` is reached.
 */
export class EntryMemo {
  readonly #entries = new Map<string, MemoEntry>();

  constructor(readonly capacity = 10_000) {}

  /** The memoized entry of `key`, if any. */
  get<T>(key: Deno.KvKey): MemoEntry<T> | undefined {
    return this.#entries.get(memoKey(key)) as MemoEntry<T> | undefined;
  }

  /** Remembers `key` as `value` at `versionstamp`; a null versionstamp (absent) forgets it. */
  remember(key: Deno.KvKey, value: unknown, versionstamp: string | null): void {
    const id = memoKey(key);
    this.#entries.delete(id);
    if (versionstamp === null) return;
    this.#entries.set(id, { value, versionstamp });
    if (this.#entries.size > this.capacity) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }

  /** Forgets `key`. */
  forget(key: Deno.KvKey): void {
    this.#entries.delete(memoKey(key));
  }

  /** How many entries are held. */
  get size(): number {
    return this.#entries.size;
  }
}

function memoKey(key: Deno.KvKey): string {
  return key.map((part) => `${typeof part}:${String(part)}`).join("\u0000");
}

const memos = new WeakMap<Deno.Kv, Map<string, EntryMemo>>();

/** The memo named `name` of this KV handle (one per handle, so tests with their own KV never share). */
export function entryMemoOf(kv: Deno.Kv, name: string): EntryMemo {
  let byName = memos.get(kv);
  if (!byName) memos.set(kv, byName = new Map());
  let memo = byName.get(name);
  if (!memo) byName.set(name, memo = new EntryMemo());
  return memo;
}
