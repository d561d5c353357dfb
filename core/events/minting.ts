/**
 * The ticket queue worker: mints claimed tickets and burns refunded ones.
 *
 * Idempotency: a ticket's token id is fixed when it is claimed, and TicketNFT mints an id at most
 * once (a burned id is retired for good). Each attempt first asks the chain what happened to the id:
 * already held by the member → a previous attempt minted it (perhaps before a crash), so the job
 * finds that mint's transaction in the Transfer logs and completes; never minted → it mints. So
 * retries, duplicate deliveries and crashes can never produce a second token.
 *
 * Retries: a failed attempt does not throw; in one commit it records the error on the ticket and
 * re-enqueues the job with an exponentially growing delay (`attempt` numbers the chain; an older
 * message that arrives late is dropped as stale). The job throws only when that commit fails, so
 * the queue's own backoff covers crashes. After `maxAttempts` the job stops and leaves
 * `["ticket_jobs_undelivered", kind, ticketId]` for an operator; the ticket stays `pending_mint`.
 */
import { type Address, getAddress } from "viem";
import type { Clock } from "@/core/clock.ts";
import { commitWithRetry } from "@/core/kv.ts";
import { readEvent } from "./events.ts";
import type { ObjectStore } from "@/core/storage/mod.ts";
import type { TicketChain } from "./chain.ts";
import {
  type BurnJob,
  isDepartedHolder,
  jobEnqueueOptions,
  type MintJob,
  readTicket,
  type Ticket,
  type TicketJob,
  ticketJobSchema,
  ticketKeys,
} from "./ticket_records.ts";

/** What the worker needs. */
export interface TicketWorkerDeps {
  kv: Deno.Kv;
  chain: TicketChain;
  objects: ObjectStore;
  clock: Clock;
  /** Public URL of an event image stored under `imageKey` (for the metadata `image`). */
  imageUrl?: (imageKey: string) => string;
  /** Job-level retry pacing: delay = min(maxMs, baseMs · 2^(attempt−1)); give up after maxAttempts. */
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number };
  /** Queue redelivery schedule for re-enqueued jobs (crash cover). */
  queueBackoffMs?: number[];
  /** Receives one line per notable outcome; default silent. */
  log?: (message: string, fields: Record<string, unknown>) => void;
}

/** What a job did. */
export type JobOutcome =
  | "minted"
  | "recovered" // minted by an earlier attempt; this one recorded it
  | "already_done"
  | "skipped_refunded"
  | "skipped_departed" // the holder deleted their account before the mint: nobody to mint to
  | "stale"
  | "missing"
  | "burned"
  | "retry_scheduled"
  | "gave_up";

const DEFAULT_RETRY = { baseMs: 2_000, maxMs: 10 * 60_000, maxAttempts: 20 };

/** Object-store key of a ticket's ERC-721 metadata JSON (served at the contract's tokenURI). */
export function ticketMetadataKey(tokenId: string): string {
  return `tickets/metadata/${tokenId}.json`;
}

/** The ERC-721 metadata document of a ticket. */
export function ticketMetadata(
  ticket: Ticket,
  event: { id: string; name: string; description: string; startsAt: number; endsAt: number },
  image: string | null,
) {
  return {
    name: `${event.name} — Seat ${ticket.seat}`,
    description: event.description || `Ticket to ${event.name}, an Aurum Circle event.`,
    ...(image ? { image } : {}),
    event: {
      id: event.id,
      number: ticket.eventNumber,
      name: event.name,
      startsAt: new Date(event.startsAt).toISOString(),
      endsAt: new Date(event.endsAt).toISOString(),
    },
    seat: ticket.seat,
    ticketId: ticket.id,
    attributes: [
      { trait_type: "Event", value: event.name },
      { trait_type: "Seat", value: ticket.seat },
      { trait_type: "Starts", display_type: "date", value: Math.floor(event.startsAt / 1000) },
    ],
  };
}

async function storeMetadata(deps: TicketWorkerDeps, ticket: Ticket): Promise<void> {
  const { event } = await readEvent(deps.kv, ticket.eventId);
  if (!event) throw new Error(`event ${ticket.eventId} of ticket ${ticket.id} is missing`);
  const image = event.imageUrl ??
    (event.imageKey && deps.imageUrl ? deps.imageUrl(event.imageKey) : null);
  const body = new TextEncoder().encode(
    JSON.stringify(ticketMetadata(ticket, event, image), null, 2),
  );
  await deps.objects.put(ticketMetadataKey(ticket.tokenId), body, {
    contentType: "application/json",
  });
}

const message = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * Records a failed attempt and re-enqueues the job with backoff, in one commit (throws if the
 * ticket changed meanwhile, so the queue redelivers and the job re-evaluates).
 */
async function scheduleRetry(
  deps: TicketWorkerDeps,
  job: TicketJob,
  ticket: Ticket,
  versionstamp: string,
  error: unknown,
): Promise<JobOutcome> {
  const retry = { ...DEFAULT_RETRY, ...deps.retry };
  const attempts = job.attempt + 1;
  const now = deps.clock.now();
  const giveUp = attempts >= retry.maxAttempts;
  const delay = Math.min(retry.maxMs, retry.baseMs * 2 ** (attempts - 1));
  const lastError = message(error);
  const next: Ticket = job.type === "ticket_mint"
    ? {
      ...ticket,
      updatedAt: now,
      mint: { ...ticket.mint, attempts, lastError, nextAttemptAt: giveUp ? null : now + delay },
    }
    : {
      ...ticket,
      updatedAt: now,
      refund: ticket.refund && { ...ticket.refund, burnAttempts: attempts, lastError },
    };
  const atomic = deps.kv.atomic()
    .check({ key: ticketKeys.ticket(ticket.id), versionstamp })
    .set(ticketKeys.ticket(ticket.id), next);
  const kind = job.type === "ticket_mint" ? "mint" : "burn";
  if (giveUp) {
    atomic.set(ticketKeys.undelivered(kind, ticket.id), { ...job, attempt: attempts, lastError });
  } else {
    const retryJob = { ...job, attempt: attempts };
    atomic.enqueue(
      retryJob,
      jobEnqueueOptions(retryJob, { delay, backoffSchedule: deps.queueBackoffMs }),
    );
  }
  const result = await atomic.commit();
  if (!result.ok) {
    throw new Error(`ticket ${ticket.id} changed while recording a failed ${kind}; redeliver`);
  }
  deps.log?.(`ticket ${kind} ${giveUp ? "gave up" : "will retry"}`, {
    ticketId: ticket.id,
    attempts,
    delayMs: giveUp ? null : delay,
    error: lastError,
  });
  return giveUp ? "gave_up" : "retry_scheduled";
}

/** Asks the chain and mints if needed; returns the mint's tx hash and whether this attempt sent it. */
async function ensureMinted(
  deps: TicketWorkerDeps,
  ticket: Ticket,
): Promise<{ txHash: string; sent: boolean }> {
  const tokenId = BigInt(ticket.tokenId);
  const wallet: Address = getAddress(ticket.wallet);
  for (let pass = 0; pass < 2; pass++) {
    const state = await deps.chain.tokenState(tokenId);
    if (state.holder === null && !state.retired) {
      try {
        return {
          txHash: await deps.chain.mint(wallet, tokenId, BigInt(ticket.eventNumber)),
          sent: true,
        };
      } catch (error) {
        if (pass === 1) throw error;
        continue; // refused or lost: look at the chain again before giving this attempt up
      }
    }
    const mint = await deps.chain.findMint(tokenId);
    if (mint && mint.to === wallet) return { txHash: mint.txHash.toLowerCase(), sent: false };
    throw new Error(
      mint
        ? `token ${ticket.tokenId} was minted to ${mint.to}, not ${wallet}`
        : `token ${ticket.tokenId} is retired and was never minted`,
    );
  }
  throw new Error("unreachable");
}

/** Job writes retry 20 times, at once; then the queue redelivers the message. */
const RETRY = { attempts: 20, pause: null };

function contended(ticketId: string): Error {
  return new Error(`ticket ${ticketId} is contended; redeliver`);
}

/** Handles one mint job; safe to run any number of times, concurrently too. */
export async function processMintJob(deps: TicketWorkerDeps, job: MintJob): Promise<JobOutcome> {
  const { ticket, versionstamp } = await readTicket(deps.kv, job.ticketId);
  if (!ticket) return "missing";
  if (ticket.status === "minted" || ticket.mint.txHash !== null) return "already_done";
  if (job.attempt < ticket.mint.attempts) return "stale";
  if (ticket.status === "refunded") return "skipped_refunded";
  if (isDepartedHolder(ticket.wallet)) return "skipped_departed";
  let minted: { txHash: string; sent: boolean };
  try {
    await storeMetadata(deps, ticket);
    minted = await ensureMinted(deps, ticket);
  } catch (error) {
    return await scheduleRetry(deps, job, ticket, versionstamp, error);
  }
  const outcome = await commitWithRetry<JobOutcome>(
    async () => {
      const current = await readTicket(deps.kv, ticket.id);
      if (!current.ticket) return { value: "missing" };
      const now = deps.clock.now();
      const mint = {
        ...current.ticket.mint,
        txHash: minted.txHash,
        mintedAt: now,
        lastError: null,
        nextAttemptAt: null,
      };
      const next: Ticket = {
        ...current.ticket,
        // A refund that raced the mint keeps the ticket refunded; its burn job retires the token.
        status: current.ticket.status === "refunded" ? "refunded" : "minted",
        updatedAt: now,
        mint,
      };
      const op = deps.kv.atomic()
        .check({ key: ticketKeys.ticket(ticket.id), versionstamp: current.versionstamp })
        .set(ticketKeys.ticket(ticket.id), next);
      return { op, value: minted.sent ? "minted" : "recovered" };
    },
    () => contended(ticket.id),
    RETRY,
  );
  if (outcome !== "missing") {
    deps.log?.("ticket minted", {
      ticketId: ticket.id,
      tokenId: ticket.tokenId,
      txHash: minted.txHash,
    });
  }
  return outcome;
}

/** Handles one burn job (a refunded ticket's token is burned, or its id retired if never minted). */
export async function processBurnJob(deps: TicketWorkerDeps, job: BurnJob): Promise<JobOutcome> {
  const { ticket, versionstamp } = await readTicket(deps.kv, job.ticketId);
  if (!ticket) return "missing";
  if (ticket.status !== "refunded" || !ticket.refund) return "missing";
  if (ticket.refund.burn === "burned") return "already_done";
  if (job.attempt < ticket.refund.burnAttempts) return "stale";
  let burnTxHash: string | null = null;
  try {
    const state = await deps.chain.tokenState(BigInt(ticket.tokenId));
    if (!state.retired) burnTxHash = (await deps.chain.burn(BigInt(ticket.tokenId))).toLowerCase();
    await deps.objects.delete(ticketMetadataKey(ticket.tokenId));
  } catch (error) {
    return await scheduleRetry(deps, job, ticket, versionstamp, error);
  }
  return await commitWithRetry<JobOutcome>(
    async () => {
      const current = await readTicket(deps.kv, ticket.id);
      if (!current.ticket?.refund) return { value: "missing" };
      const next: Ticket = {
        ...current.ticket,
        updatedAt: deps.clock.now(),
        refund: { ...current.ticket.refund, burn: "burned", burnTxHash, lastError: null },
      };
      const op = deps.kv.atomic()
        .check({ key: ticketKeys.ticket(ticket.id), versionstamp: current.versionstamp })
        .set(ticketKeys.ticket(ticket.id), next);
      return { op, value: "burned" };
    },
    () => contended(ticket.id),
    RETRY,
  );
}

/**
 * Runs a queue message if it is a ticket job; returns null for other messages so an app-wide
 * dispatcher can hand them elsewhere.
 */
export async function handleTicketJob(
  deps: TicketWorkerDeps,
  message: unknown,
): Promise<JobOutcome | null> {
  const parsed = ticketJobSchema.safeParse(message);
  if (!parsed.success) return null;
  return parsed.data.type === "ticket_mint"
    ? await processMintJob(deps, parsed.data)
    : await processBurnJob(deps, parsed.data);
}

/**
 * Listens on `kv`'s queue and runs ticket jobs (for a process whose queue carries only ticket
 * jobs; otherwise call {@link handleTicketJob} from the app's one dispatcher). Resolves when `kv`
 * is closed.
 */
export function startTicketWorker(kv: Deno.Kv, deps: Omit<TicketWorkerDeps, "kv">): Promise<void> {
  const full: TicketWorkerDeps = { ...deps, kv };
  return kv.listenQueue(async (message) => {
    const outcome = await handleTicketJob(full, message);
    if (outcome === null) full.log?.("ignored a queue message that is not a ticket job", {});
  });
}
