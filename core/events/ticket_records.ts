/**
 * Ticket records, their KV keys and the queue messages of the ticket jobs, shared by tickets.ts
 * (claims, refunds), ticket_checkin.ts and ticket_minting.ts (the queue worker).
 *
 * KV layout:
 * - `["tickets", ticketId]` → {@link Ticket}
 * - `["tickets_by_event", eventId, ticketId]` → ticketId
 * - `["tickets_by_wallet", wallet, eventId, ticketId]` → ticketId
 * - `["tickets_by_token", tokenId]` → ticketId (token ids are never reused)
 * - `["ticket_holders", eventId, wallet]` → ticketId (one live ticket per member per event)
 * - `["ticket_claims", wallet, idempotencyKey]` → ticketId (24 h; a replayed claim returns the ticket)
 * - `["ticket_jobs_undelivered", "mint" | "burn", ticketId]` → the job, when the queue gave up
 */
import { z } from "zod";
import { walletSchema } from "@/core/members.ts";
import { isUlid } from "@/core/ulid.ts";

const epochMs = z.number().int().min(0);
const txHash = z.string().regex(/^0x[0-9a-f]{64}$/);

/** Ticket lifecycle: recorded, then minted by the queue job; refunded frees the seat. */
export const TICKET_STATUSES = ["pending_mint", "minted", "refunded"] as const;
/** A ticket status. */
export type TicketStatus = (typeof TICKET_STATUSES)[number];

/**
 * The holder of a ticket whose member deleted their account: a stable anonymous marker (an HMAC of
 * the wallet), so the seat stays sold and counted and the departed member's tickets stay grouped.
 */
export const departedHolderSchema = z.string().regex(/^departed_[0-9a-f]{32}$/);

/** True when a ticket's holder is a departed member's marker rather than a wallet. */
export function isDepartedHolder(holder: string): boolean {
  return departedHolderSchema.safeParse(holder).success;
}

/** A stored ticket. */
export const ticketSchema = z.object({
  id: z.string().refine(isUlid),
  eventId: z.string().refine(isUlid),
  eventNumber: z.number().int().min(1),
  /** The holder's wallet, or a departed member's marker ({@link departedHolderSchema}). */
  wallet: z.union([walletSchema, departedHolderSchema]),
  seat: z.number().int().min(1),
  generation: z.number().int().min(1),
  /** ERC-721 token id (decimal), fixed at claim time. */
  tokenId: z.string().regex(/^[0-9]{1,78}$/),
  status: z.enum(TICKET_STATUSES),
  createdAt: epochMs,
  updatedAt: epochMs,
  idempotencyKey: z.string(),
  mint: z.object({
    attempts: z.number().int().min(0),
    lastError: z.string().nullable(),
    nextAttemptAt: epochMs.nullable(),
    txHash: txHash.nullable(),
    mintedAt: epochMs.nullable(),
  }),
  refund: z.object({
    refundedAt: epochMs,
    by: z.string(),
    burn: z.enum(["pending", "burned"]),
    burnTxHash: txHash.nullable(),
    burnAttempts: z.number().int().min(0),
    lastError: z.string().nullable(),
  }).nullable(),
  checkedInAt: epochMs.nullable(),
  checkedInBy: z.string().nullable(),
  payment: z.object({
    transactionId: z.string(),
    reference: z.string(),
    token: z.enum(["WLD", "USDCE"]),
    amount: z.string(),
    transactionHash: z.string().nullable(),
  }).nullable(),
});

/** A ticket. */
export type Ticket = z.infer<typeof ticketSchema>;

/** KV keys of tickets. */
export const ticketKeys = {
  ticket: (id: string): Deno.KvKey => ["tickets", id],
  byEvent: (eventId: string, id: string): Deno.KvKey => ["tickets_by_event", eventId, id],
  byWallet: (wallet: string, eventId: string, id: string): Deno.KvKey => [
    "tickets_by_wallet",
    wallet,
    eventId,
    id,
  ],
  byToken: (tokenId: string): Deno.KvKey => ["tickets_by_token", tokenId],
  holder: (eventId: string, wallet: string): Deno.KvKey => ["ticket_holders", eventId, wallet],
  claim: (wallet: string, idempotencyKey: string): Deno.KvKey => [
    "ticket_claims",
    wallet,
    idempotencyKey,
  ],
  undelivered: (kind: "mint" | "burn", id: string): Deno.KvKey => [
    "ticket_jobs_undelivered",
    kind,
    id,
  ],
};

/** Queue message: mint ticket `ticketId` (attempt counts the job's own retries). */
export const mintJobSchema = z.object({
  type: z.literal("ticket_mint"),
  ticketId: z.string(),
  attempt: z.number().int().min(0),
});
/** Queue message: burn (retire) the token of refunded ticket `ticketId`. */
export const burnJobSchema = z.object({
  type: z.literal("ticket_burn"),
  ticketId: z.string(),
  attempt: z.number().int().min(0),
});
/** Any ticket job. */
export const ticketJobSchema = z.discriminatedUnion("type", [mintJobSchema, burnJobSchema]);
/** A mint job. */
export type MintJob = z.infer<typeof mintJobSchema>;
/** A burn job. */
export type BurnJob = z.infer<typeof burnJobSchema>;
/** Any ticket job. */
export type TicketJob = z.infer<typeof ticketJobSchema>;

/**
 * Queue-level redelivery when a job handler throws (a crash, a KV conflict). RPC failures do not
 * throw: the job re-enqueues itself with its own exponential backoff (see ticket_minting.ts).
 */
export const DEFAULT_QUEUE_BACKOFF_MS = [1_000, 5_000, 30_000, 120_000, 600_000];

/** The token id of a ticket: event number, seat generation and seat packed into one integer. */
export function ticketTokenId(eventNumber: number, generation: number, seat: number): bigint {
  if (seat >= 2 ** 20 || generation >= 2 ** 20) {
    throw new RangeError("seat or generation too large");
  }
  return (BigInt(eventNumber) << 40n) | (BigInt(generation) << 20n) | BigInt(seat);
}

/** Reads a ticket with its versionstamp (null ticket when absent). */
export async function readTicket(kv: Deno.Kv, id: string) {
  const entry = await kv.get(ticketKeys.ticket(id));
  if (entry.versionstamp === null) return { ticket: null, versionstamp: null };
  return { ticket: ticketSchema.parse(entry.value), versionstamp: entry.versionstamp };
}

/** Enqueue options for a ticket job, recording it under `undelivered` if the queue gives up. */
export function jobEnqueueOptions(
  job: TicketJob,
  options: { delay?: number; backoffSchedule?: number[] } = {},
) {
  return {
    delay: options.delay,
    backoffSchedule: options.backoffSchedule ?? DEFAULT_QUEUE_BACKOFF_MS,
    keysIfUndelivered: [
      ticketKeys.undelivered(job.type === "ticket_mint" ? "mint" : "burn", job.ticketId),
    ],
  };
}
