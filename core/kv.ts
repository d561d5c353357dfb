/** Shared Deno KV primitives: batched reads and the retry loop of optimistic atomic commits. */

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

/** Reads any number of keys, 10 per `kv.getMany` (its limit); entries come back in key order, absent ones included. */
export async function getMany<T = unknown>(
  kv: Deno.Kv,
  keys: readonly Deno.KvKey[],
): Promise<Deno.KvEntryMaybe<T>[]> {
  const entries: Deno.KvEntryMaybe<T>[] = [];
  for (let i = 0; i < keys.length; i += 10) {
    entries.push(...await kv.getMany<T[]>(keys.slice(i, i + 10)));
  }
  return entries;
}

/**
 * What one attempt of {@link commitWithRetry} decided: commit `op` and yield `value` if it lands,
 * finish with `value` without committing, or (null) read again.
 */
export type CommitStep<T> = { op: Deno.AtomicOperation; value: T } | { value: T } | null;

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
    if (!("op" in next) || (await next.op.commit()).ok) return next.value;
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
