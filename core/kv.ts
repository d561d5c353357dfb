/** Bounded retry pacing for optimistic KV commits that lost a versionstamp race. */

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
