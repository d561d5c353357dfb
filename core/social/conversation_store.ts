/**
 * KV layout of the private conversation of a match (a leaf module, so the pair's clean-up in
 * signal_store.ts can close a thread in the same commit that ends the match). A thread belongs to
 * one match: its keys carry the pair id and the match's `matchedAt`, so a later match of the same
 * two members starts an empty thread even before the old one is erased.
 *   ["messages", pairId, matchedAt, ulid]                   → Message
 *   ["message_sends", pairId, matchedAt, wallet, clientKey] → message id (a retried send)
 *   ["thread_reads", pairId, matchedAt, wallet]             → { lastReadId, at }
 *   ["thread_unread", wallet, pairId]                       → Deno.KvU64 (messages not yet read)
 *   ["message_quota", wallet, scope, windowStart]           → messages sent in that window
 */
import { z } from "zod";
import { walletSchema } from "@/core/members.ts";
import { isUlid } from "@/core/ulid.ts";

/** A stored message. */
export const messageSchema = z.object({
  id: z.string().refine(isUlid),
  from: walletSchema,
  text: z.string().min(1).max(4000),
  sentAt: z.number().int(),
});
/** A stored message. */
export type Message = z.infer<typeof messageSchema>;

/** A member's read receipt in one thread. */
export const readReceiptSchema = z.object({
  lastReadId: z.string().refine(isUlid),
  at: z.number().int(),
});

/** The queue message that erases an ended match's thread (enqueued in the commit that ends it). */
export const conversationEraseMessageSchema = z.object({
  kind: z.literal("conversation_erase"),
  pairId: z.string().regex(/^[0-9a-f]{64}$/),
  matchedAt: z.number().int(),
});

/** Key prefix of one match's messages. */
export const messagesPrefix = (pairId: string, matchedAt: number): Deno.KvKey => [
  "messages",
  pairId,
  matchedAt,
];
/** Key of one message. */
export const messageKey = (pairId: string, matchedAt: number, id: string): Deno.KvKey => [
  ...messagesPrefix(pairId, matchedAt),
  id,
];
/** Key remembering which message a sender's idempotency key produced. */
export const messageSendKey = (
  pairId: string,
  matchedAt: number,
  wallet: string,
  clientKey: string,
): Deno.KvKey => ["message_sends", pairId, matchedAt, wallet, clientKey];
/** Key of a member's read receipt in a thread. */
export const readReceiptKey = (pairId: string, matchedAt: number, wallet: string): Deno.KvKey => [
  "thread_reads",
  pairId,
  matchedAt,
  wallet,
];
/** Key of a member's unread counter for a pair's current thread. */
export const unreadKey = (wallet: string, pairId: string): Deno.KvKey => [
  "thread_unread",
  wallet,
  pairId,
];

/** The per-pair prefixes a thread's erasure clears (all of a pair's threads without `matchedAt`). */
export function threadPrefixes(pairId: string, matchedAt?: number): Deno.KvKey[] {
  const tail = matchedAt === undefined ? [] : [matchedAt];
  return [
    ["messages", pairId, ...tail],
    ["message_sends", pairId, ...tail],
    ["thread_reads", pairId, ...tail],
  ];
}

/**
 * Adds to `op` the closing of the thread of the match `pairId` made at `matchedAt` between `a` and
 * `b`: both unread counters go at once, and the messages are erased by a queued job (a thread may
 * hold more entries than one commit can delete). Nobody can read the thread from this commit on,
 * since reading and sending need the match.
 */
export function closeThread(
  op: Deno.AtomicOperation,
  pairId: string,
  matchedAt: number,
  a: string,
  b: string,
): void {
  op.delete(unreadKey(a, pairId)).delete(unreadKey(b, pairId))
    .enqueue({ kind: "conversation_erase", pairId, matchedAt });
}
