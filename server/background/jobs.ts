/**
 * Background jobs on the KV queue, started by `main.ts` (not by `createApp`, so tests only get
 * background work when they ask for it). One dispatcher per process, because a KV handle has
 * one queue listener: each message goes to the first job that recognizes it.
 *
 * Daily clean-up (the orphan-photo sweep, and the filesystem store's interrupted writes) runs from
 * `Deno.cron` where the runtime has it (Deno Deploy, and `deno run` with the `cron` unstable
 * feature this project's `deno.json` enables): {@link DAILY_CLEANUP_SCHEDULE}. Where it does not,
 * the orphan sweep is one self-renewing queue chain instead: `["jobs", "photo_sweep"]` names the
 * current run id, a delivered message whose id is not current is dropped, and each run schedules
 * the next in the same commit that records it. Many instances starting at once still make one chain.
 */
import { z } from "zod";
import { sweepOrphanPhotos } from "@/core/profiles/mod.ts";
import { sweepInterruptedWrites } from "@/core/storage/mod.ts";
import { ulid } from "@/core/ulid.ts";
import {
  eventCancelRefundsMessage,
  handleTicketJob,
  refundCancelledEvent,
  ticketJobSchema,
} from "@/core/events/mod.ts";
import {
  completeInviteAdmission,
  conversationEraseMessageSchema,
  dayKeyFor,
  eraseConversation,
  inviteAdmissionMessageSchema,
} from "@/core/social/mod.ts";
import { accountDeletionMessageSchema, runAccountDeletion } from "@/core/account/mod.ts";
import {
  photoRecordHooks,
  REFIT_RUN_MINUTE,
  refitCommunityModel,
  refitRunMessage,
  rescoreStalePhotos,
  scheduleRefitRun,
  untilNextRefitRun,
} from "@/core/scoring/mod.ts";
import {
  fanOutTodayRun,
  pruneExposure,
  runTodayBatch,
  scheduleTodayRun,
  TODAY_RUN_MINUTE,
  todayBatchMessage,
  todayRunMessage,
  untilNextTodayRun,
} from "@/core/discovery/mod.ts";
import type { AppDeps } from "@/server/deps.ts";

/** Time between orphan sweeps. */
export const PHOTO_SWEEP_INTERVAL_MS = 30 * 60 * 1000;

const SWEEP_STATE_KEY: Deno.KvKey = ["jobs", "photo_sweep"];
const sweepMessage = z.object({ type: z.literal("photo_sweep"), runId: z.string() });
const sweepState = z.object({ runId: z.string(), dueAt: z.number() });

type JobDeps = Pick<AppDeps, "kv" | "objects" | "clock" | "logger">;

/**
 * Schedules the next sweep `delayMs` from now unless a chain is already live (its run is due
 * no more than one interval ago); `replacing` is the run id this one follows.
 */
export async function schedulePhotoSweep(
  deps: JobDeps,
  delayMs: number,
  replacing?: string,
): Promise<boolean> {
  const current = await deps.kv.get(SWEEP_STATE_KEY);
  const state = sweepState.safeParse(current.value);
  const now = deps.clock.now();
  const live = state.success && state.data.dueAt > now - PHOTO_SWEEP_INTERVAL_MS;
  if (live && state.data.runId !== replacing) return false;
  const runId = ulid(deps.clock);
  const result = await deps.kv.atomic()
    .check(current)
    .set(SWEEP_STATE_KEY, { runId, dueAt: now + delayMs })
    .enqueue({ type: "photo_sweep", runId }, { delay: delayMs })
    .commit();
  return result.ok;
}

/**
 * Runs a sweep message (and schedules the next); false when `message` is not a sweep. With
 * `renew` false (the sweep runs from `Deno.cron`) a chain message is dropped, which ends the chain.
 */
export async function handlePhotoSweep(
  deps: JobDeps,
  message: unknown,
  renew = true,
): Promise<boolean> {
  const parsed = sweepMessage.safeParse(message);
  if (!parsed.success) return false;
  if (!renew) return true;
  const state = sweepState.safeParse((await deps.kv.get(SWEEP_STATE_KEY)).value);
  if (!state.success || state.data.runId !== parsed.data.runId) return true; // a stale chain
  try {
    const { deleted } = await sweepOrphanPhotos(deps);
    deps.logger.log("info", "photo_sweep", { deleted: deleted.length });
  } catch (error) {
    deps.logger.log("warn", "photo_sweep_failed", { error: String(error) });
  }
  await schedulePhotoSweep(deps, PHOTO_SWEEP_INTERVAL_MS, parsed.data.runId);
  return true;
}

type TicketJobDeps = JobDeps & Pick<AppDeps, "tickets">;
/** What the queue's jobs need (account deletion only where the vector store and config are given). */
type QueueJobDeps = TicketJobDeps & Partial<Pick<AppDeps, "vectors" | "config" | "ml">>;

/**
 * Runs a ticket mint/burn job; false when `message` is not one. Without a configured ticket chain
 * the job throws, so the queue redelivers it with backoff and finally records it under
 * `["ticket_jobs_undelivered", …]` (the ticket stays `pending_mint`).
 */
export async function dispatchTicketJob(deps: TicketJobDeps, message: unknown): Promise<boolean> {
  if (!ticketJobSchema.safeParse(message).success) return false;
  if (!deps.tickets) {
    deps.logger.log("error", "ticket_chain_not_configured", {
      job: message,
      hint: "set CHAIN_RPC_URL, TICKET_CONTRACT and TICKET_MINTER_PRIVATE_KEY",
    });
    throw new Error("ticket chain not configured; the queue will redeliver");
  }
  const outcome = await handleTicketJob({
    kv: deps.kv,
    chain: deps.tickets,
    objects: deps.objects,
    clock: deps.clock,
    log: (message, fields) => deps.logger.log("info", "ticket_job", { message, ...fields }),
  }, message);
  deps.logger.log("info", "ticket_job_done", { outcome, job: message });
  return true;
}

/**
 * Finishes an invite admission whose claim committed but whose membership grant did not (the
 * redemption enqueues this message in its commit); false when `message` is not one.
 */
export async function handleInviteAdmission(deps: JobDeps, message: unknown): Promise<boolean> {
  const parsed = inviteAdmissionMessageSchema.safeParse(message);
  if (!parsed.success) return false;
  const member = await completeInviteAdmission(deps.kv, deps.clock, parsed.data.wallet);
  deps.logger.log("info", "invite_admission_done", {
    admitted: member?.membership.admitted ?? false,
  });
  return true;
}

/**
 * Refunds the unused tickets of a cancelled event (the message comes from the cancelling
 * commit); false when `message` is not one. Paid refunds are logged for the council to pay back.
 */
export async function handleEventCancelRefunds(
  deps: Pick<AppDeps, "kv" | "clock" | "logger">,
  message: unknown,
): Promise<boolean> {
  const parsed = eventCancelRefundsMessage.safeParse(message);
  if (!parsed.success) return false;
  const outcome = await refundCancelledEvent(deps.kv, deps.clock, parsed.data.eventId);
  for (const ticket of outcome.refunded) {
    if (!ticket.payment) continue;
    deps.logger.log("warn", "paid_refund_due", {
      eventId: ticket.eventId,
      ticketId: ticket.id,
      wallet: ticket.wallet,
      token: ticket.payment.token,
      amount: ticket.payment.amount,
      transactionId: ticket.payment.transactionId,
    });
  }
  deps.logger.log("info", "event_cancel_refunds_done", {
    eventId: parsed.data.eventId,
    refunded: outcome.refunded.length,
    checkedIn: outcome.checkedIn,
    alreadyRefunded: outcome.alreadyRefunded,
  });
  return true;
}

/**
 * Erases the messages of a thread whose match ended (the ending commit enqueues this message);
 * false when `message` is not one. Idempotent, as a queue may deliver twice.
 */
export async function handleConversationErase(
  deps: Pick<AppDeps, "kv" | "logger">,
  message: unknown,
): Promise<boolean> {
  const parsed = conversationEraseMessageSchema.safeParse(message);
  if (!parsed.success) return false;
  const erased = await eraseConversation(deps.kv, parsed.data.pairId, parsed.data.matchedAt);
  deps.logger.log("info", "conversation_erased", { entries: erased });
  return true;
}

type TodayDeps = Pick<AppDeps, "kv" | "clock" | "logger" | "ml">;

/**
 * Hands a queue message to the first job that recognizes it; with `renewSweep` false the daily
 * chains (orphan sweep, today's circle) are not continued: `Deno.cron` runs them instead.
 */
export async function dispatchJob(
  deps: QueueJobDeps,
  message: unknown,
  options: { renewSweep?: boolean } = {},
): Promise<void> {
  const chains = options.renewSweep ?? true;
  if (deps.ml && await handleTodayJob({ ...deps, ml: deps.ml }, message, { chain: chains })) return;
  if (deps.ml && await handleRefitJob({ ...deps, ml: deps.ml }, message, { chain: chains })) return;
  if (await handlePhotoSweep(deps, message, chains)) return;
  if (await dispatchTicketJob(deps, message)) return;
  if (await handleInviteAdmission(deps, message)) return;
  if (await handleEventCancelRefunds(deps, message)) return;
  if (await handleConversationErase(deps, message)) return;
  const { vectors, config } = deps;
  if (vectors && config && await handleAccountDeletion({ ...deps, vectors, config }, message)) {
    return;
  }
  deps.logger.log("warn", "queue_message_ignored", {});
}

/**
 * Registers the queue listener on `kv` synchronously (Deno Deploy requires it at the top level
 * of the entry module, before anything but `Deno.openKv` is awaited); each message waits for
 * `deps` first. Resolves when the KV handle closes.
 */
export function listenForJobs(
  kv: Deno.Kv,
  deps: Promise<QueueJobDeps>,
  options: { renewSweep?: boolean } = {},
): Promise<void> {
  return kv.listenQueue(async (message) => await dispatchJob(await deps, message, options));
}

/**
 * When the daily clean-up runs, in UTC (cron syntax): 03:17 every day, a quiet hour away from
 * the top of the hour when crons pile up.
 */
export const DAILY_CLEANUP_SCHEDULE = "17 3 * * *";

/**
 * The daily clean-up: photo objects no profile references (older than the orphan grace period)
 * and, for the filesystem store, the leftovers of interrupted writes. Expiring KV records
 * (sessions, nonces, rate-limit windows) need none: KV drops them by `expireIn`.
 */
export async function runDailyCleanup(deps: JobDeps): Promise<void> {
  try {
    const { deleted } = await sweepOrphanPhotos(deps);
    deps.logger.log("info", "photo_sweep", { deleted: deleted.length, by: "cron" });
  } catch (error) {
    deps.logger.log("warn", "photo_sweep_failed", { error: String(error), by: "cron" });
  }
  if (deps.objects.kind !== "fs") return;
  try {
    const removed = await sweepInterruptedWrites(deps.objects);
    deps.logger.log("info", "storage_swept", { removed, by: "cron" });
  } catch (error) {
    deps.logger.log("warn", "storage_sweep_failed", { error: String(error), by: "cron" });
  }
}

/**
 * Registers the daily clean-up with `Deno.cron` (synchronously, for Deno Deploy); false where the
 * runtime has no `Deno.cron`, and the caller keeps the queue chain going instead.
 */
export function registerDailyJobs(deps: Promise<JobDeps>): boolean {
  if (typeof Deno.cron !== "function") return false;
  Deno.cron("aurum daily clean-up", DAILY_CLEANUP_SCHEDULE, async () => {
    await runDailyCleanup(await deps);
  });
  // Today's circle: the run is enqueued once per UTC day, whichever instance's cron fires first.
  Deno.cron("discovery-today", `${TODAY_RUN_MINUTE} 0 * * *`, async () => {
    const ready = await deps;
    await scheduleTodayRun(ready, dayKeyFor(ready.clock.now()));
  });
  // The community score refit: likewise enqueued once per UTC day.
  Deno.cron(
    "scoring-refit",
    `${REFIT_RUN_MINUTE % 60} ${Math.floor(REFIT_RUN_MINUTE / 60)} * * *`,
    async () => {
      const ready = await deps;
      await scheduleRefitRun(ready, dayKeyFor(ready.clock.now()));
    },
  );
  return true;
}

/**
 * Finishes (or re-runs, harmlessly) an account deletion; the request enqueues this message in
 * the commit that records it. Throws when a backend fails, so the queue redelivers it.
 */
export async function handleAccountDeletion(
  deps: Pick<AppDeps, "kv" | "clock" | "objects" | "vectors" | "config" | "logger">,
  message: unknown,
): Promise<boolean> {
  const parsed = accountDeletionMessageSchema.safeParse(message);
  if (!parsed.success) return false;
  const { kv, clock, objects, vectors, config, logger } = deps;
  const photoRecords = photoRecordHooks({
    kv,
    clock,
    vectors,
    logFailure: (event, fields) => logger.log("error", event, { component: "scoring", ...fields }),
  });
  const report = await runAccountDeletion(
    { kv, clock, objects, vectors, photoRecords, appSecret: config.appSecret },
    parsed.data.wallet,
  );
  deps.logger.log("info", "account_deletion_done", { photos: report.photos });
  return true;
}

/**
 * Today's circle: the daily run fans out one message per batch of members and prunes old exposure
 * counters; each batch makes its members' circles. Without `Deno.cron` (see `main.ts`) each run
 * schedules the next day's with a delay. False when `message` is neither.
 */
export async function handleTodayJob(
  deps: TodayDeps,
  message: unknown,
  options: { chain: boolean },
): Promise<boolean> {
  const run = todayRunMessage.safeParse(message);
  if (run.success) {
    const batches = await fanOutTodayRun(deps, run.data.day);
    const pruned = await pruneExposure(deps.kv, deps.clock.now());
    deps.logger.log("info", "discovery_today_run", { day: run.data.day, batches, pruned });
    if (options.chain) await scheduleNextTodayRun(deps);
    return true;
  }
  const batch = todayBatchMessage.safeParse(message);
  if (!batch.success) return false;
  await runTodayBatch(deps, batch.data);
  return true;
}

/** Schedules the next daily run of today's circle with a delay (once per day across instances). */
export async function scheduleNextTodayRun(deps: Pick<AppDeps, "kv" | "clock">): Promise<boolean> {
  const { day, delayMs } = untilNextTodayRun(deps.clock.now());
  return await scheduleTodayRun(deps, day, delayMs);
}

/**
 * The daily community refit of the score model and the photos' offsets, then the rescoring of the
 * photos scored by another model version. Without `Deno.cron` each run schedules the next day's.
 * False when `message` is not a refit run.
 */
export async function handleRefitJob(
  deps: TodayDeps,
  message: unknown,
  options: { chain: boolean },
): Promise<boolean> {
  const run = refitRunMessage.safeParse(message);
  if (!run.success) return false;
  try {
    const refit = await refitCommunityModel(deps);
    deps.logger.log("info", "scoring_refit", { day: run.data.day, ...refit });
    const rescore = await rescoreStalePhotos(deps);
    deps.logger.log("info", "scoring_rescore", { day: run.data.day, ...rescore });
  } catch (error) {
    deps.logger.log("warn", "scoring_refit_failed", { day: run.data.day, error: String(error) });
  }
  if (options.chain) await scheduleNextRefitRun(deps);
  return true;
}

/** Schedules the next daily community refit with a delay (once per day across instances). */
export async function scheduleNextRefitRun(deps: Pick<AppDeps, "kv" | "clock">): Promise<boolean> {
  const { day, delayMs } = untilNextRefitRun(deps.clock.now());
  return await scheduleRefitRun(deps, day, delayMs);
}

/**
 * Starts the queue listener and schedules the first sweep (a minute after start). Resolves when
 * the KV handle closes.
 */
export async function startJobs(deps: QueueJobDeps, firstDelayMs = 60_000): Promise<void> {
  const listening = listenForJobs(deps.kv, Promise.resolve(deps));
  // The daily chains (today's circle, the refit) are started by main.ts, not here.
  await schedulePhotoSweep(deps, firstDelayMs);
  await listening;
}
