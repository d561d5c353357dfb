/**
 * Invite code format: 10 characters from a 31-character alphabet without look-alikes (no 0/O, 1/I/L),
 * ≈ 49.5 bits drawn with crypto.getRandomValues, shown grouped as `XXXX-XXXX-XX`. Also the salted
 * IP hash stored with claims (the raw IP is never stored).
 */
import { BadRequestError } from "@/core/errors.ts";

/** Digits 2–9 and letters without I, L, O. */
export const INVITE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/** Characters in a code (without separators). */
export const INVITE_CODE_LENGTH = 10;
/** Bits of entropy in a code. */
export const INVITE_CODE_BITS = INVITE_CODE_LENGTH * Math.log2(INVITE_ALPHABET.length);

// 248 = 8 × 31: bytes at or above it are dropped so every character is equally likely.
const UNBIASED_LIMIT = 256 - (256 % INVITE_ALPHABET.length);
const CODE_PATTERN = new RegExp(`^[${INVITE_ALPHABET}]{${INVITE_CODE_LENGTH}}$`);

/** A new random code in canonical form (10 characters, no separators). */
export function generateInviteCode(): string {
  let code = "";
  while (code.length < INVITE_CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte >= UNBIASED_LIMIT) continue;
      code += INVITE_ALPHABET[byte % INVITE_ALPHABET.length];
      if (code.length === INVITE_CODE_LENGTH) break;
    }
  }
  return code;
}

/** Canonical form of a user-entered code (any case, dashes, spaces); throws `invite_code_malformed`. */
export function normalizeInviteCode(input: string): string {
  const code = input.toUpperCase().replace(/[\s\-_.]/g, "");
  if (!CODE_PATTERN.test(code)) {
    throw new BadRequestError("invite_code_malformed", "That is not an invite code.");
  }
  return code;
}

/** Display form `XXXX-XXXX-XX` of a canonical code. */
export function formatInviteCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

/** Pattern of a stored IP hash (hex HMAC-SHA-256). */
export const IP_HASH_PATTERN = /^[0-9a-f]{64}$/;

/** HMAC-SHA-256 of the client IP under a server-side salt (≥ 16 characters), as hex. */
export async function hashIp(ip: string, salt: string): Promise<string> {
  if (salt.length < 16) throw new RangeError("the IP hash salt must be at least 16 characters");
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(salt),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(ip.trim().toLowerCase()));
  return Array.from(new Uint8Array(mac), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
