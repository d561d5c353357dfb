/**
 * Safety: blocking (hides both ways, cancels pending signals both ways without removing them and
 * ends a match, in one atomic commit that checks every versionstamp it read) and reports stored for
 * review. Hiding is the profile's `hidden` field (`core/profiles`), which also writes the marker signals read.
 *   ["reports", id] → Report; ["reports_open", id] → id (review queue);
 *   ["reports_open_by_pair", reporter, reported] → id (one open report per reporter and member);
 *   ["member_warnings", wallet, id] → Warning (an admin's warning, shown to the member)
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { BadRequestError, ConflictError, NotFoundError } from "@/core/errors.ts";
import { commitWithRetry, getMany } from "@/core/kv.ts";
import { addMemberEvent } from "./notifications.ts";
import { normalizeWallet, walletSchema } from "@/core/members.ts";
import {
  blockKey,
  blockSchema,
  clearPair,
  isLive,
  matchKey,
  readPair,
  type Signal,
  signalKey,
} from "./signal_store.ts";
import type { RateLimitRule } from "@/core/cache/rate_limit.ts";
import { isUlid, ulid } from "@/core/ulid.ts";

/** Outcome of `blockMember`. */
export interface BlockResult {
  /** False when the block already existed. */
  blocked: boolean;
  /** Pending signals cancelled by this block (0–2). */
  cancelledSignals: number;
  /** True when a match between the two ended. */
  endedMatch: boolean;
}

/** How often a member may block or unblock (together), per member. */
export const BLOCK_RATE_LIMIT: RateLimitRule = {
  name: "safety_block_wallet",
  limit: 20,
  windowSeconds: 3600,
};

/**
 * Blocks `blocked` for `blocker`: neither can signal the other and a match ends (both signals are
 * removed; the other member gets a `match_ended` event, never a "blocked" one). Pending signals are
 * not removed but cancelled in the same commit (`cancelledBy`): they still count for their recipient
 * and still show for a sender who did not block, so a block never tells who had signalled whom, and
 * they can never become a match. BadRequestError `block_self`.
 */
export async function blockMember(
  kv: Deno.Kv,
  clock: Clock,
  blocker: string,
  blocked: string,
): Promise<BlockResult> {
  const me = normalizeWallet(blocker);
  const them = normalizeWallet(blocked);
  if (me === them) throw new BadRequestError("block_self", "You cannot block yourself.");
  return await commitWithRetry(async () => {
    const now = clock.now();
    const pair = await readPair(kv, me, them);
    const op = kv.atomic()
      .check({ key: blockKey(me, them), versionstamp: pair.blockedByA.versionstamp })
      .set(blockKey(me, them), { blockedAt: now });
    let cancelled = 0;
    if (pair.match.value) {
      clearPair(op, me, them, pair);
      addMemberEvent(op, now, them, { type: "match_ended", pairId: pair.pairId });
    } else {
      op.check({ key: signalKey(me, them), versionstamp: pair.forward.versionstamp })
        .check({ key: signalKey(them, me), versionstamp: pair.reverse.versionstamp })
        .check({ key: matchKey(pair.pairId), versionstamp: null });
      const mine = pair.forward.value;
      if (isLive(mine)) {
        op.set(signalKey(me, them), { ...mine, cancelledBy: "sender" } satisfies Signal);
        cancelled++;
      }
      const theirs = pair.reverse.value;
      if (isLive(theirs)) {
        op.set(signalKey(them, me), { ...theirs, cancelledBy: "recipient" } satisfies Signal);
        cancelled++;
      }
    }
    return {
      op,
      value: {
        blocked: !pair.blockedByA.exists,
        cancelledSignals: pair.match.value
          ? Number(pair.forward.value !== null) + Number(pair.reverse.value !== null)
          : cancelled,
        endedMatch: pair.match.value !== null,
      },
    };
  }, () => new ConflictError("block_contended", "Retry the block."));
}

/**
 * Lifts `blocker`'s block on `blocked`. Signals the block cancelled stay cancelled; the blocker may
 * send theirs again.
 */
export async function unblockMember(kv: Deno.Kv, blocker: string, blocked: string): Promise<void> {
  await kv.delete(blockKey(normalizeWallet(blocker), normalizeWallet(blocked)));
}

/** The two KV keys {@link isBlocked} reads for `a` and `b` (for callers batching reads). */
export function blockPairKeys(a: string, b: string): [Deno.KvKey, Deno.KvKey] {
  const [x, y] = [normalizeWallet(a), normalizeWallet(b)];
  return [blockKey(x, y), blockKey(y, x)];
}

/** {@link isBlocked}'s answer from the entries read at {@link blockPairKeys}. */
export function blockedFromEntries(entries: Deno.KvEntryMaybe<unknown>[]): boolean {
  return entries.some((entry) => entry.versionstamp !== null && blockSchema.parse(entry.value));
}

/** True when either member has blocked the other. */
export async function isBlocked(kv: Deno.Kv, a: string, b: string): Promise<boolean> {
  return blockedFromEntries(await kv.getMany<unknown[]>(blockPairKeys(a, b)));
}

/** Members `wallet` has blocked, with when. */
export async function listBlocked(
  kv: Deno.Kv,
  wallet: string,
): Promise<{ wallet: string; blockedAt: number }[]> {
  const me = normalizeWallet(wallet);
  const blocked = [];
  for await (const entry of kv.list({ prefix: ["blocks", me] })) {
    blocked.push({
      wallet: walletSchema.parse(entry.key[2]),
      blockedAt: blockSchema.parse(entry.value).blockedAt,
    });
  }
  return blocked;
}

/** Reasons a member can give when reporting another. */
export const REPORT_REASONS = [
  "harassment",
  "spam",
  "fake_profile",
  "inappropriate_content",
  "underage",
  "safety_concern",
  "other",
] as const;

/** Longest description a report may carry (the API, the form and this module share it). */
export const REPORT_TEXT_MAX = 1000;

/** Reports one member may file: at most `limit` per `windowSeconds` (a `RateLimitRule`). */
export const REPORT_RATE_LIMIT = { name: "report_member", limit: 5, windowSeconds: 3600 } as const;

const reportInputSchema = z.object({
  reason: z.enum(REPORT_REASONS),
  text: z.string().trim().max(REPORT_TEXT_MAX),
});

const reportSchema = z.object({
  id: z.string().refine(isUlid),
  reporter: walletSchema,
  reported: walletSchema,
  reason: z.enum(REPORT_REASONS),
  text: z.string().max(REPORT_TEXT_MAX),
  createdAt: z.number().int(),
  status: z.enum(["open", "resolved"]),
  resolvedAt: z.number().int().nullable(),
  resolution: z.string().max(1000).nullable(),
});

/** A stored report. */
export type Report = z.infer<typeof reportSchema>;

const reportKey = (id: string): Deno.KvKey => ["reports", id];
const openReportKey = (id: string): Deno.KvKey => ["reports_open", id];
const openReportByPairKey = (reporter: string, reported: string): Deno.KvKey => [
  "reports_open_by_pair",
  reporter,
  reported,
];

/**
 * Stores a report for review. BadRequestError `report_self`, `report_invalid` (unknown reason, text over
 * {@link REPORT_TEXT_MAX} characters); ConflictError `report_already_open` while the reporter's earlier
 * report of the same member awaits review. Callers apply {@link REPORT_RATE_LIMIT} per reporter.
 */
export async function reportMember(
  kv: Deno.Kv,
  clock: Clock,
  input: { reporter: string; reported: string; reason: string; text: string },
): Promise<Report> {
  const reporter = normalizeWallet(input.reporter);
  const reported = normalizeWallet(input.reported);
  if (reporter === reported) {
    throw new BadRequestError("report_self", "You cannot report yourself.");
  }
  const parsed = reportInputSchema.safeParse({ reason: input.reason, text: input.text });
  if (!parsed.success) {
    throw new BadRequestError(
      "report_invalid",
      `Choose a reason; the text is at most ${REPORT_TEXT_MAX.toLocaleString("en")} characters.`,
    );
  }
  const now = clock.now();
  const report: Report = {
    id: ulid(clock),
    reporter,
    reported,
    ...parsed.data,
    createdAt: now,
    status: "open",
    resolvedAt: null,
    resolution: null,
  };
  const pairKey = openReportByPairKey(reporter, reported);
  const result = await kv.atomic()
    .check({ key: reportKey(report.id), versionstamp: null })
    .check({ key: pairKey, versionstamp: null })
    .set(reportKey(report.id), report)
    .set(openReportKey(report.id), report.id)
    .set(pairKey, report.id)
    .commit();
  if (!result.ok) {
    if ((await kv.get(pairKey)).versionstamp) {
      throw new ConflictError(
        "report_already_open",
        "You have already reported this member and the council is reviewing it. You can block them meanwhile.",
      );
    }
    throw new ConflictError("report_contended", "Retry the report.");
  }
  return report;
}

/** Open reports, oldest first, a page at a time: `{ values, cursor }` (cursor "" at the end). */
export async function listReports(
  kv: Deno.Kv,
  options: { cursor?: string; limit?: number } = {},
): Promise<{ values: Report[]; cursor: string }> {
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 500);
  const iterator = kv.list({ prefix: ["reports_open"] }, {
    cursor: options.cursor || undefined,
    limit,
  });
  const ids: string[] = [];
  for await (const entry of iterator) ids.push(z.string().refine(isUlid).parse(entry.value));
  const values: Report[] = [];
  for (const entry of await getMany(kv, ids.map(reportKey))) {
    if (entry.versionstamp) values.push(reportSchema.parse(entry.value));
  }
  return { values, cursor: ids.length === limit ? iterator.cursor : "" };
}

/** Marks a report resolved and removes it from the review queue. NotFoundError `report_not_found`. */
export async function resolveReport(
  kv: Deno.Kv,
  clock: Clock,
  id: string,
  resolution: string,
): Promise<Report> {
  return await commitWithRetry(async () => {
    const entry = await kv.get(reportKey(id));
    if (!entry.versionstamp) throw new NotFoundError("report_not_found", "No such report.");
    const current = reportSchema.parse(entry.value);
    if (current.status === "resolved") return { value: current };
    const resolved: Report = {
      ...current,
      status: "resolved",
      resolvedAt: clock.now(),
      resolution: z.string().trim().max(1000).parse(resolution),
    };
    const pair = await kv.get(openReportByPairKey(current.reporter, current.reported));
    const op = kv.atomic()
      .check(entry, pair)
      .set(reportKey(id), resolved)
      .delete(openReportKey(id));
    if (pair.value === id) op.delete(pair.key);
    return { op, value: resolved };
  }, () => new ConflictError("report_contended", "Retry."));
}

/** How long a warning stays on the member's vault page. */
export const WARNING_SHOWN_MS = 14 * 24 * 60 * 60 * 1000;

const warningSchema = z.object({
  id: z.string().refine(isUlid),
  wallet: walletSchema,
  /** The report that led to it, when there was one. */
  reportId: z.string().refine(isUlid).nullable(),
  note: z.string().min(1).max(1000),
  at: z.number().int(),
});

/** An admin's warning to a member. */
export type Warning = z.infer<typeof warningSchema>;

const warningKey = (wallet: string, id: string): Deno.KvKey => ["member_warnings", wallet, id];

/** Records a warning for `wallet`; BadRequestError `warning_invalid` for an empty or long note. */
export async function warnMember(
  kv: Deno.Kv,
  clock: Clock,
  input: { wallet: string; note: string; reportId?: string | null },
): Promise<Warning> {
  const note = z.string().trim().min(1).max(1000).safeParse(input.note);
  if (!note.success) {
    throw new BadRequestError("warning_invalid", "A warning needs a note of 1–1,000 characters.");
  }
  const warning: Warning = {
    id: ulid(clock),
    wallet: normalizeWallet(input.wallet),
    reportId: input.reportId ?? null,
    note: note.data,
    at: clock.now(),
  };
  await kv.set(warningKey(warning.wallet, warning.id), warning);
  return warning;
}

/** A member's warnings, newest first; `since` (epoch ms) keeps only those given from then on. */
export async function listWarnings(
  kv: Deno.Kv,
  wallet: string,
  options: { since?: number } = {},
): Promise<Warning[]> {
  const warnings: Warning[] = [];
  const prefix = ["member_warnings", normalizeWallet(wallet)];
  for await (const entry of kv.list({ prefix }, { reverse: true })) {
    const warning = warningSchema.parse(entry.value);
    if (options.since !== undefined && warning.at < options.since) break;
    warnings.push(warning);
  }
  return warnings;
}

/** Every report (open or resolved) naming `wallet` as the reported or the reporting member. */
export async function listReportsInvolving(
  kv: Deno.Kv,
  wallet: string,
): Promise<{ about: Report[]; filed: Report[] }> {
  const who = normalizeWallet(wallet);
  const about: Report[] = [];
  const filed: Report[] = [];
  for await (const entry of kv.list({ prefix: ["reports"] })) {
    const report = reportSchema.parse(entry.value);
    if (report.reported === who) about.push(report);
    if (report.reporter === who) filed.push(report);
  }
  return { about, filed };
}

/** A report by id, or NotFoundError `report_not_found`. */
export async function getReport(kv: Deno.Kv, id: string): Promise<Report> {
  const entry = await kv.get(reportKey(id));
  if (!entry.versionstamp) throw new NotFoundError("report_not_found", "No such report.");
  return reportSchema.parse(entry.value);
}
