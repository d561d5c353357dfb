/** ULIDs: 48-bit millisecond time + 80 random bits, Crockford base32, so ids sort by creation time. */
import type { Clock } from "./clock.ts";

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new ULID (26 characters) for the clock's current time; randomness from crypto.getRandomValues. */
export function ulid(clock: Clock): string {
  let time = Math.max(0, Math.floor(clock.now()));
  let head = "";
  for (let i = 0; i < 10; i++) {
    head = CROCKFORD[time % 32] + head;
    time = Math.floor(time / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let tail = "";
  for (const byte of bytes) tail += CROCKFORD[byte & 31];
  return head + tail;
}

/** Whether `value` looks like a ULID. */
export function isUlid(value: string): boolean {
  return /^[0-9A-HJKMNP-TV-Z]{26}$/.test(value);
}
