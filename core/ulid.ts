/** ULIDs: 48-bit millisecond time + 80 random bits, Crockford base32, so ids sort by creation time. */
import type { Clock } from "./clock.ts";

const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

let lastTime = -1;
let lastRandom: number[] = [];

/** Increments a base32 digit array in place; returns false on overflow. */
function increment(digits: number[]): boolean {
  for (let i = digits.length - 1; i >= 0; i--) {
    if (digits[i] < 31) {
      digits[i] += 1;
      return true;
    }
    digits[i] = 0;
  }
  return false;
}

/**
 * Returns a new ULID for `clock.now()`. Within one millisecond the random part increases, so ids
 * made by this process sort in creation order (ids from other processes interleave by time).
 */
export function ulid(clock: Clock): string {
  let time = Math.max(0, Math.floor(clock.now()));
  let random: number[];
  if (time <= lastTime && lastRandom.length === 16) {
    time = lastTime;
    random = [...lastRandom];
    if (!increment(random)) {
      time += 1;
      random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b & 31);
    }
  } else {
    random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b & 31);
  }
  lastTime = time;
  lastRandom = random;
  return ulidTimePrefix(time) + random.map((digit) => ALPHABET[digit]).join("");
}

/**
 * The 10-character time part of the ULIDs made at `time` (ms): every ULID of that millisecond or
 * later sorts at or after it, every earlier one before it (a range start for time-ordered keys).
 */
export function ulidTimePrefix(time: number): string {
  let timePart = "";
  let rest = Math.max(0, Math.floor(time));
  for (let i = 0; i < 10; i++) {
    timePart = ALPHABET[rest % 32] + timePart;
    rest = Math.floor(rest / 32);
  }
  return timePart;
}

/** Whether `value` looks like a ULID. */
export function isUlid(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
