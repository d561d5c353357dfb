/** The stable anonymous names a departed member leaves behind, derived from the app secret. */
import { deriveSecret } from "@/core/config.ts";
import { normalizeWallet } from "@/core/members.ts";

/** The marker that replaces a departed member's wallet on their tickets (`departed_` + 32 hex). */
export function departedHolderMarker(appSecret: string, wallet: string): string {
  const tag = deriveSecret(appSecret, `departed-holder/${normalizeWallet(wallet)}`).slice(0, 32);
  return `departed_${tag}`;
}

/** The HMAC key under which departed World ID nullifiers are kept. */
export function departedNullifierSecret(appSecret: string): string {
  return deriveSecret(appSecret, "departed-nullifiers");
}
