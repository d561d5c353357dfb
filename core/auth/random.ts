/** Cryptographically random identifiers (never Math.random). */

const ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
// 248 = 4 × 62: bytes at or above it are rejected so every character is equally likely.
const UNBIASED_BYTE_LIMIT = 256 - (256 % ALPHANUMERIC.length);

/** Returns `length` letters and digits drawn uniformly with crypto.getRandomValues. */
export function randomAlphanumeric(length: number): string {
  let result = "";
  while (result.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const byte of bytes) {
      if (byte >= UNBIASED_BYTE_LIMIT) continue;
      result += ALPHANUMERIC[byte % ALPHANUMERIC.length];
      if (result.length === length) break;
    }
  }
  return result;
}

/** Returns `byteLength` random bytes encoded as base64url without padding. */
export function randomToken(byteLength = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(byteLength));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Hex-encoded SHA-256 of `text` (used to store secrets such as session ids hashed at rest). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}
