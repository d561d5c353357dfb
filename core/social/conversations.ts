/**
 * The private conversation of a match: text messages between its two members, read receipts and
 * unread counts. Only the two members of a current match can read or write; the thread closes for
 * both in the commit that ends the match (unmatch, block, a departure: see `clearPair`), and its
 * messages are erased by a queued job. Key layout: see conversation_store.ts.
 *
 * Every send is one commit that checks the match, the sender's idempotency key (`check(null)`) and
 * both rate-limit windows, and writes the message, the key, the windows, the recipient's unread
 * counter (`sum`, so concurrent sends never conflict on it) and the recipient's live event.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  TooManyRequestsError,
} from "@/core/errors.ts";
import { commitWithRetry, deleteByPrefix } from "@/core/kv.ts";
import { normalizeWallet } from "@/core/members.ts";
import { waitInWords } from "@/core/wait_words.ts";
import { ulid } from "@/core/ulid.ts";
import type { ThreadMessage } from "./live_events.ts";
import { addMemberEvent } from "./notifications.ts";
import { type Match, matchKey, matchSchema } from "./signal_store.ts";
import {
  type Message,
  messageKey,
  messageSchema,
  messageSendKey,
  messagesPrefix,
  readReceiptKey,
  readReceiptSchema,
  threadPrefixes,
  unreadKey,
} from "./conversation_store.ts";

/** Longest message, in characters after trimming. */
export const MESSAGE_MAX_CHARS = 1000;

/** A message's text as members may send it: 1 to {@link MESSAGE_MAX_CHARS} characters after trimming. */
export const messageTextSchema = z.string()
  .trim()
  .min(1, "Write a message first.")
  .max(
    MESSAGE_MAX_CHARS,
    `Keep a message to ${MESSAGE_MAX_CHARS.toLocaleString("en")} characters or fewer.`,
  );

/** The sender's idempotency key of one send (a ULID or UUID made by the client or the form). */
export const clientKeySchema = z.string().regex(/^[0-9A-Za-z_-]{8,64}$/, "That send is malformed.");

/** How many messages a member may send: per thread and overall, each per fixed window. */
export interface MessageRateLimits {
  perThread: { limit: number; windowSeconds: number };
  perMember: { limit: number; windowSeconds: number };
}

/** Default message rate limits: 20 a minute in one thread, 200 an hour in all. */
export const MESSAGE_RATE_LIMITS: MessageRateLimits = {
  perThread: { limit: 20, windowSeconds: 60 },
  perMember: { limit: 200, windowSeconds: 3600 },
};

/** A thread as one of its members opens it. */
export interface Thread {
  pairId: string;
  matchedAt: number;
  /** The member reading. */
  me: string;
  /** The other member of the match. */
  other: string;
}

function closed(): NotFoundError {
  return new NotFoundError(
    "conversation_not_found",
    "This conversation is closed, or it is not yours.",
  );
}

function contended(): ConflictError {
  return new ConflictError("conversation_contended", "The conversation is busy; try again.");
}

function threadOf(entry: Deno.KvEntryMaybe<unknown>, wallet: string): Thread {
  if (!entry.versionstamp) throw closed();
  const match: Match = matchSchema.parse(entry.value);
  const [a, b] = match.members;
  if (a !== wallet && b !== wallet) throw closed();
  return { pairId: match.id, matchedAt: match.matchedAt, me: wallet, other: a === wallet ? b : a };
}

/**
 * The thread of match `matchId` for `wallet`. NotFoundError `conversation_not_found` when the match
 * does not exist (never made, ended, ended by a block) or `wallet` is not one of its two members.
 */
export async function openThread(kv: Deno.Kv, wallet: string, matchId: string): Promise<Thread> {
  if (!/^[0-9a-f]{64}$/.test(matchId)) throw closed();
  return threadOf(await kv.get(matchKey(matchId)), normalizeWallet(wallet));
}

/** A stored message as `wallet` sees it. */
export function messageView(message: Message, wallet: string): ThreadMessage {
  return {
    id: message.id,
    mine: message.from === wallet,
    text: message.text,
    sentAt: message.sentAt,
  };
}

/** Input of {@link sendMessage}. */
export interface SendMessageInput {
  from: string;
  matchId: string;
  text: string;
  /** The sender's idempotency key: a retried send with the same key returns the first message. */
  clientKey: string;
  limits?: MessageRateLimits;
}

/** Outcome of {@link sendMessage}. */
export interface SendMessageResult {
  message: ThreadMessage;
  /** True when the key had been used: nothing new was stored. */
  duplicate: boolean;
}

const windowStart = (now: number, seconds: number) =>
  Math.floor(now / (seconds * 1000)) * seconds * 1000;

/** `schema`'s parse of `value`, or BadRequestError `code` with the first issue's message. */
function parseOr<T>(schema: z.ZodType<T>, value: unknown, code: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw new BadRequestError(code, parsed.error.issues[0].message);
  return parsed.data;
}

/**
 * Sends a text message in the match's thread. BadRequestError `message_invalid` (empty or longer
 * than {@link MESSAGE_MAX_CHARS} after trimming), `message_key_invalid`; NotFoundError
 * `conversation_not_found`;
 * TooManyRequestsError `message_rate_limited` (nothing stored); ConflictError
 * `conversation_contended` after bounded retries. A repeated key returns the first message.
 */
export async function sendMessage(
  kv: Deno.Kv,
  clock: Clock,
  input: SendMessageInput,
): Promise<SendMessageResult> {
  const from = normalizeWallet(input.from);
  const text = parseOr(messageTextSchema, input.text, "message_invalid");
  const clientKey = parseOr(clientKeySchema, input.clientKey, "message_key_invalid");
  const limits = input.limits ?? MESSAGE_RATE_LIMITS;
  return await commitWithRetry<SendMessageResult>(async () => {
    const now = clock.now();
    const matchEntry = await kv.get(matchKey(input.matchId));
    const thread = /^[0-9a-f]{64}$/.test(input.matchId) ? threadOf(matchEntry, from) : null;
    if (!thread) throw closed();
    const { pairId, matchedAt, other } = thread;
    const threadWindow = windowStart(now, limits.perThread.windowSeconds);
    const memberWindow = windowStart(now, limits.perMember.windowSeconds);
    const quotaKeys: [Deno.KvKey, Deno.KvKey] = [
      ["message_quota", from, pairId, threadWindow],
      ["message_quota", from, "all", memberWindow],
    ];
    const sendKey = messageSendKey(pairId, matchedAt, from, clientKey);
    const [sent, threadUsed, memberUsed] = await kv.getMany<unknown[]>([sendKey, ...quotaKeys]);
    if (sent.versionstamp) {
      const first = await kv.get(messageKey(pairId, matchedAt, z.string().parse(sent.value)));
      if (first.versionstamp) {
        return {
          value: { message: messageView(messageSchema.parse(first.value), from), duplicate: true },
        };
      }
    }
    const count = (entry: Deno.KvEntryMaybe<unknown>) =>
      entry.versionstamp ? z.number().int().nonnegative().parse(entry.value) : 0;
    const rules = [
      [limits.perThread, threadUsed, threadWindow],
      [limits.perMember, memberUsed, memberWindow],
    ] as const;
    for (const [rule, used, start] of rules) {
      if (count(used) >= rule.limit) {
        const wait = Math.ceil((start + rule.windowSeconds * 1000 - now) / 1000);
        throw new TooManyRequestsError(
          "message_rate_limited",
          `You are sending messages faster than the circle allows. Try again in ${
            waitInWords(wait)
          }.`,
          wait,
        );
      }
    }
    const message: Message = { id: ulid(clock), from, text, sentAt: now };
    const op = kv.atomic()
      .check(matchEntry)
      .check({ key: sendKey, versionstamp: null })
      .check(threadUsed, memberUsed)
      .set(messageKey(pairId, matchedAt, message.id), message)
      .set(sendKey, message.id)
      .sum(unreadKey(other, pairId), 1n);
    rules.forEach(([rule, used], i) => {
      op.set(quotaKeys[i], count(used) + 1, { expireIn: rule.windowSeconds * 2000 });
    });
    addMemberEvent(op, now, other, { type: "message", pairId, messageId: message.id });
    return { op, value: { message: messageView(message, from), duplicate: false } };
  }, contended);
}

/** A page of a thread, oldest first; `cursor` continues towards older messages ("" at the start). */
export interface MessagePage {
  values: ThreadMessage[];
  cursor: string;
}

/** The newest `limit` (1–100, default 50) messages of `thread` before `cursor`, oldest first. */
export async function listMessages(
  kv: Deno.Kv,
  thread: Thread,
  options: { cursor?: string; limit?: number } = {},
): Promise<MessagePage> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 100);
  const iterator = kv.list({ prefix: messagesPrefix(thread.pairId, thread.matchedAt) }, {
    reverse: true,
    limit,
    cursor: options.cursor || undefined,
  });
  const values: ThreadMessage[] = [];
  for await (const entry of iterator) {
    values.push(messageView(messageSchema.parse(entry.value), thread.me));
  }
  return { values: values.reverse(), cursor: values.length === limit ? iterator.cursor : "" };
}

/** The newest message of `thread`, or null. */
export async function lastMessage(
  kv: Deno.Kv,
  thread: Pick<Thread, "pairId" | "matchedAt" | "me">,
): Promise<ThreadMessage | null> {
  const prefix = messagesPrefix(thread.pairId, thread.matchedAt);
  for await (const entry of kv.list({ prefix }, { reverse: true, limit: 1 })) {
    return messageView(messageSchema.parse(entry.value), thread.me);
  }
  return null;
}

/** Where each member of a thread has read up to (message ids, null: nothing yet). */
export interface ThreadReceipts {
  mine: string | null;
  theirs: string | null;
}

/** Both members' read receipts in `thread`. */
export async function readReceipts(kv: Deno.Kv, thread: Thread): Promise<ThreadReceipts> {
  const [mine, theirs] = await kv.getMany<unknown[]>([
    readReceiptKey(thread.pairId, thread.matchedAt, thread.me),
    readReceiptKey(thread.pairId, thread.matchedAt, thread.other),
  ]);
  const idOf = (entry: Deno.KvEntryMaybe<unknown>) =>
    entry.versionstamp ? readReceiptSchema.parse(entry.value).lastReadId : null;
  return { mine: idOf(mine), theirs: idOf(theirs) };
}

/** Outcome of {@link markRead}. */
export interface MarkReadResult {
  /** The member's receipt after the call (null in an empty thread). */
  lastReadId: string | null;
  /** Messages of the other member still unread in this thread. */
  unread: number;
}

/**
 * Marks `wallet`'s thread read up to `upTo` (default: its newest message; never backwards, never
 * past the newest). One commit checks the match, the receipt and the unread counter, so a message
 * arriving meanwhile is counted, not lost; the other member gets a `message_read` event when the
 * receipt moves. NotFoundError `conversation_not_found`.
 */
export async function markRead(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  matchId: string,
  upTo?: string,
): Promise<MarkReadResult> {
  const me = normalizeWallet(wallet);
  return await commitWithRetry<MarkReadResult>(async () => {
    const matchEntry = await kv.get(matchKey(/^[0-9a-f]{64}$/.test(matchId) ? matchId : "-"));
    const thread = threadOf(matchEntry, me);
    const receiptKey = readReceiptKey(thread.pairId, thread.matchedAt, me);
    const [receipt, counter] = await kv.getMany<unknown[]>([
      receiptKey,
      unreadKey(me, thread.pairId),
    ]);
    const current = receipt.versionstamp ? readReceiptSchema.parse(receipt.value).lastReadId : null;
    const newest = await lastMessage(kv, thread);
    if (!newest) return { value: { lastReadId: current, unread: 0 } };
    let target = upTo && upTo < newest.id ? upTo : newest.id;
    if (current && current > target) target = current;
    const prefix = messagesPrefix(thread.pairId, thread.matchedAt);
    let unread = 0;
    for await (const entry of kv.list({ prefix, start: [...prefix, `${target}\u0000`] })) {
      if (messageSchema.parse(entry.value).from === thread.other) unread++;
    }
    const stored = counter.versionstamp ? Number((counter.value as Deno.KvU64).value) : 0;
    if (target === current && unread === stored) {
      return { value: { lastReadId: current, unread } };
    }
    const now = clock.now();
    const op = kv.atomic().check(matchEntry, receipt, counter)
      .set(receiptKey, { lastReadId: target, at: now });
    if (unread === 0) op.delete(counter.key);
    else op.set(counter.key, new Deno.KvU64(BigInt(unread)));
    if (target !== current) {
      addMemberEvent(op, now, thread.other, {
        type: "message_read",
        pairId: thread.pairId,
        messageId: target,
      });
    }
    return { op, value: { lastReadId: target, unread } };
  }, contended);
}

/** A member's unread messages: the total and per match (pair id); matches with none are absent. */
export interface UnreadCounts {
  total: number;
  byMatch: Record<string, number>;
}

/** `wallet`'s unread messages, from one range read of their counters. */
export async function unreadCounts(kv: Deno.Kv, wallet: string): Promise<UnreadCounts> {
  const byMatch: Record<string, number> = {};
  let total = 0;
  for await (const entry of kv.list({ prefix: ["thread_unread", normalizeWallet(wallet)] })) {
    if (!(entry.value instanceof Deno.KvU64)) continue;
    const n = Number(entry.value.value);
    byMatch[String(entry.key[2])] = n;
    total += n;
  }
  return { total, byMatch };
}

/**
 * Erases a closed thread's messages, send keys and receipts (the queue job `conversation_erase`,
 * and a departure); every thread the pair ever had without `matchedAt`. Idempotent. A thread
 * whose match still stands is left alone.
 */
export async function eraseConversation(
  kv: Deno.Kv,
  pairId: string,
  matchedAt?: number,
): Promise<number> {
  if (matchedAt !== undefined) {
    const match = await kv.get(matchKey(pairId));
    if (match.versionstamp && matchSchema.parse(match.value).matchedAt === matchedAt) return 0;
  }
  let erased = 0;
  for (const prefix of threadPrefixes(pairId, matchedAt)) {
    erased += await deleteByPrefix(kv, prefix);
  }
  return erased;
}
