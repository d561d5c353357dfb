/** The one interface for short-lived shared state: cached values and rate-limit counters. */

/** Outcome of counting one hit against a rate limit. */
export interface RateLimitResult {
  /** True while the hit count in the current window is within the limit. */
  allowed: boolean;
  /** Hits still allowed in the current window (never negative). */
  remaining: number;
  /** Whole seconds until the window resets when not allowed; 0 when allowed. */
  retryAfterSeconds: number;
}

/** Cache and rate limits, backed in-process by default or by Redis. Values are strings (JSON is the caller's). */
export interface Cache {
  /** Returns the value stored under `key`, or null when absent or expired. */
  get(key: string): Promise<string | null>;
  /** Stores `value` under `key` for `ttlSeconds` seconds. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Removes `key` if present. */
  delete(key: string): Promise<void>;
  /** Counts one hit on `key` in a fixed window of `windowSeconds`, allowing at most `limit` hits. */
  hit(key: string, limit: number, windowSeconds: number): Promise<RateLimitResult>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Returns a RangeError unless `value` is a positive finite number (null when it is). */
export function checkPositive(name: string, value: number): RangeError | null {
  if (Number.isFinite(value) && value > 0) return null;
  return new RangeError(`${name} must be a positive number, got ${value}`);
}

/** Throws the error from {@link checkPositive}, if any. */
export function assertPositive(name: string, value: number): void {
  const error = checkPositive(name, value);
  if (error) throw error;
}
