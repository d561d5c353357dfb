/**
 * KV layout and validated reads shared by signals and safety (block, hide):
 *   ["signals", from, to]                     → Signal (the pair is the natural idempotency key;
 *                                               `cancelledBy` set when a block cancelled it)
 *   ["signals_by_recipient", to, from]        → signal id
 *   ["signal_quota", from, dayKey]            → number of signals sent that day (expires after 2 days)
 *   ["mutual_matches", pairId]                → Match (pairId = sha256 of the sorted wallets)
 *   ["mutual_matches_by_member", wallet, pairId] → pairId
 *   ["blocks", blocker, blocked]              → Block
 *   ["hidden_members", wallet]                → { hiddenAt }
 */
import { createHash } from "node:crypto";
import { z } from "zod";
import { walletSchema } from "@/core/members.ts";
import { isUlid } from "@/core/ulid.ts";
import { closeThread } from "./conversation_store.ts";

/** A stored signal. */
export const signalSchema = z.object({
  id: z.string().refine(isUlid),
  from: walletSchema,
  to: walletSchema,
  sentAt: z.number().int(),
  /**
   * Set when a block between the two cancelled the pending signal: by its `sender` (who may send it
   * again after lifting the block) or by its `recipient` (for good). A cancelled signal still counts
   * as received for its recipient and still shows as sent to a sender who did not block, so a block
   * tells neither side anything; it can never become a match.
   */
  cancelledBy: z.enum(["sender", "recipient"]).optional(),
});
/** A stored signal. */
export type Signal = z.infer<typeof signalSchema>;

/** True when `signal` can still become a match (it exists and no block cancelled it). */
export function isLive(signal: Signal | null): signal is Signal {
  return signal !== null && signal.cancelledBy === undefined;
}

/** A stored mutual match (`MUTUAL_MATCHES`). */
export const matchSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  members: z.tuple([walletSchema, walletSchema]),
  matchedAt: z.number().int(),
});
/** A stored mutual match. */
export type Match = z.infer<typeof matchSchema>;

/** A stored block. */
export const blockSchema = z.object({ blockedAt: z.number().int() });

/** Key of the signal `from` → `to`. */
export const signalKey = (from: string, to: string): Deno.KvKey => ["signals", from, to];
/** Key of the recipient index entry of the signal `from` → `to`. */
export const receivedKey = (to: string, from: string): Deno.KvKey => [
  "signals_by_recipient",
  to,
  from,
];
/** Key of a member's signal counter for one day. */
export const quotaKey = (from: string, day: string): Deno.KvKey => ["signal_quota", from, day];
/** Key of a match record. */
export const matchKey = (pairId: string): Deno.KvKey => ["mutual_matches", pairId];
/** Key of a member's match index entry. */
export const memberMatchKey = (wallet: string, pairId: string): Deno.KvKey => [
  "mutual_matches_by_member",
  wallet,
  pairId,
];
/** Key saying `blocker` blocked `blocked`. */
export const blockKey = (blocker: string, blocked: string): Deno.KvKey => [
  "blocks",
  blocker,
  blocked,
];
/** Key of a member's hidden-profile flag. */
export const hiddenKey = (wallet: string): Deno.KvKey => ["hidden_members", wallet];

/**
 * Stable id of the pair {a, b}: hex SHA-256 of the two wallets sorted and joined. Hashed
 * synchronously (node:crypto): WebCrypto's digest is a round trip to a worker thread, which cost a
 * send more than the hash itself.
 */
export function pairId(a: string, b: string): string {
  const [low, high] = a < b ? [a, b] : [b, a];
  return createHash("sha256").update(`${low}:${high}`).digest("hex");
}

/** Everything about the pair (a, b) that signals and blocks read, each with its versionstamp. */
export interface PairState {
  pairId: string;
  forward: { value: Signal | null; versionstamp: string | null };
  reverse: { value: Signal | null; versionstamp: string | null };
  match: { value: Match | null; versionstamp: string | null };
  blockedByA: { exists: boolean; versionstamp: string | null };
  blockedByB: { exists: boolean; versionstamp: string | null };
}

/**
 * Reads the signals both ways, the match and the blocks both ways between `a` and `b` — plus up to five
 * `extra` keys, returned raw in `extra` — in one `getMany`.
 */
export async function readPair(
  kv: Deno.Kv,
  a: string,
  b: string,
  options: { pairId?: string; extra?: Deno.KvKey[] } = {},
): Promise<PairState & { extra: Deno.KvEntryMaybe<unknown>[] }> {
  const id = options.pairId ?? pairId(a, b);
  const [forward, reverse, match, blockA, blockB, ...extra] = await kv.getMany<unknown[]>([
    signalKey(a, b),
    signalKey(b, a),
    matchKey(id),
    blockKey(a, b),
    blockKey(b, a),
    ...(options.extra ?? []),
  ]);
  const parse = <T>(entry: Deno.KvEntryMaybe<unknown>, schema: z.ZodType<T>) => ({
    value: entry.versionstamp ? schema.parse(entry.value) : null,
    versionstamp: entry.versionstamp,
  });
  if (blockA.versionstamp) blockSchema.parse(blockA.value);
  if (blockB.versionstamp) blockSchema.parse(blockB.value);
  return {
    pairId: id,
    forward: parse(forward, signalSchema),
    reverse: parse(reverse, signalSchema),
    match: parse(match, matchSchema),
    blockedByA: { exists: blockA.versionstamp !== null, versionstamp: blockA.versionstamp },
    blockedByB: { exists: blockB.versionstamp !== null, versionstamp: blockB.versionstamp },
    extra,
  };
}

/**
 * Adds to `op` the deletion of both signals (with their recipient entries) and of the match (with both
 * member entries), each checked against the versionstamp read in `state`; a match's conversation
 * closes in the same commit (`closeThread`).
 */
export function clearPair(op: Deno.AtomicOperation, a: string, b: string, state: PairState): void {
  op.check({ key: signalKey(a, b), versionstamp: state.forward.versionstamp })
    .check({ key: signalKey(b, a), versionstamp: state.reverse.versionstamp })
    .check({ key: matchKey(state.pairId), versionstamp: state.match.versionstamp });
  if (state.forward.value) op.delete(signalKey(a, b)).delete(receivedKey(b, a));
  if (state.reverse.value) op.delete(signalKey(b, a)).delete(receivedKey(a, b));
  if (state.match.value) {
    op.delete(matchKey(state.pairId))
      .delete(memberMatchKey(a, state.pairId))
      .delete(memberMatchKey(b, state.pairId));
    closeThread(op, state.pairId, state.match.value.matchedAt, a, b);
  }
}
