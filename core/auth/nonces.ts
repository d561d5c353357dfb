/**
 * Sign-in nonces: issued by the server, stored in KV with an expiry, consumed exactly once.
 * A consumed nonce leaves a tombstone until it would have expired, so a replay is told apart from
 * a nonce that was never issued.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { UnauthorizedError } from "@/core/errors.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { randomAlphanumeric } from "./random.ts";

/** Nonce length: letters and digits only, as EIP-4361 requires (≥ 8); 24 gives ~143 bits. */
export const NONCE_LENGTH = 24;
/** Default lifetime of an unused nonce. */
export const DEFAULT_NONCE_TTL_SECONDS = 5 * 60;

const nonceShape = /^[A-Za-z0-9]{8,64}$/;

const nonceRecordSchema = z.object({
  issuedAt: z.number().int(),
  expiresAt: z.number().int(),
  consumedAt: z.number().int().nullable(),
});

type NonceRecord = z.infer<typeof nonceRecordSchema>;

/** KV key of a nonce record. */
function nonceKey(nonce: string): Deno.KvKey {
  return ["siwe_nonces", nonce];
}

/** A freshly issued nonce. */
export interface IssuedNonce {
  nonce: string;
  /** Epoch milliseconds after which the nonce is refused. */
  expiresAt: number;
}

/** Issues a new single-use nonce valid for `ttlSeconds`. */
export async function issueNonce(
  kv: Deno.Kv,
  clock: Clock,
  ttlSeconds = DEFAULT_NONCE_TTL_SECONDS,
): Promise<IssuedNonce> {
  const issuedAt = clock.now();
  const expiresAt = issuedAt + ttlSeconds * 1000;
  return await commitWithRetry(
    () => {
      const nonce = randomAlphanumeric(NONCE_LENGTH);
      const record: NonceRecord = { issuedAt, expiresAt, consumedAt: null };
      const op = kv.atomic()
        .check({ key: nonceKey(nonce), versionstamp: null })
        .set(nonceKey(nonce), record, { expireIn: ttlSeconds * 1000 });
      return { op, value: { nonce, expiresAt } };
    },
    () => new Error("could not store a unique nonce"),
    { attempts: 3, pause: null },
  );
}

/** Reads a nonce record, throwing the matching `siwe_nonce_*` error unless it is usable now. */
async function readUsableNonce(
  kv: Deno.Kv,
  clock: Clock,
  nonce: string,
): Promise<{ record: NonceRecord; versionstamp: string }> {
  if (!nonceShape.test(nonce)) {
    throw new UnauthorizedError("siwe_nonce_unknown", "The sign-in nonce was not issued by us.");
  }
  const entry = await kv.get(nonceKey(nonce));
  if (entry.versionstamp === null) {
    throw new UnauthorizedError("siwe_nonce_unknown", "The sign-in nonce was not issued by us.");
  }
  const parsed = nonceRecordSchema.safeParse(entry.value);
  if (!parsed.success) {
    throw new UnauthorizedError("siwe_nonce_unknown", "The sign-in nonce record is unreadable.");
  }
  const record = parsed.data;
  if (record.consumedAt !== null) {
    throw new UnauthorizedError("siwe_nonce_replayed", "The sign-in nonce was already used.");
  }
  if (clock.now() >= record.expiresAt) {
    throw new UnauthorizedError("siwe_nonce_expired", "The sign-in nonce has expired.");
  }
  return { record, versionstamp: entry.versionstamp };
}

/** Throws `siwe_nonce_unknown`, `siwe_nonce_replayed` or `siwe_nonce_expired` unless `nonce` is usable. */
export async function assertNonceUsable(kv: Deno.Kv, clock: Clock, nonce: string): Promise<void> {
  await readUsableNonce(kv, clock, nonce);
}

/** Marks `nonce` used, atomically: of two concurrent consumers exactly one succeeds; the tombstone
 * lives one nonce lifetime so replays get `siwe_nonce_replayed`. */
export async function consumeNonce(kv: Deno.Kv, clock: Clock, nonce: string): Promise<void> {
  const { record, versionstamp } = await readUsableNonce(kv, clock, nonce);
  const now = clock.now();
  const tombstone: NonceRecord = { ...record, consumedAt: now };
  const result = await kv.atomic()
    .check({ key: nonceKey(nonce), versionstamp })
    .set(nonceKey(nonce), tombstone, {
      expireIn: Math.max(1_000, record.expiresAt - record.issuedAt),
    })
    .commit();
  if (!result.ok) {
    throw new UnauthorizedError("siwe_nonce_replayed", "The sign-in nonce was already used.");
  }
}
