/** Time source injected into domain code so tests can control "now". */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; for tests. */
export interface ManualClock extends Clock {
  /** Moves time forward by `milliseconds`. */
  advance(milliseconds: number): void;
  /** Jumps to an absolute time in epoch milliseconds. */
  set(epochMilliseconds: number): void;
}

/** Creates a manual clock starting at `startEpochMilliseconds` (default: the current wall time). */
export function createManualClock(startEpochMilliseconds: number = Date.now()): ManualClock {
  let current = startEpochMilliseconds;
  return {
    now: () => current,
    advance(milliseconds) {
      current += milliseconds;
    },
    set(epochMilliseconds) {
      current = epochMilliseconds;
    },
  };
}

/** A clock frozen at `epochMilliseconds`; for tests that never move time. */
export function fixedClock(epochMilliseconds: number): Clock {
  return { now: () => epochMilliseconds };
}
