/**
 * Signals: secret one-way interest between admitted members. A signal answered by the other member is a
 * mutual match, created exactly once in the same atomic commit as the answering signal (that commit
 * checks the reverse signal's and the match's versionstamps). A daily quota, counted per member per
 * local day, is checked in the same commit. Key layout: see signal_store.ts.
 */
import type { Clock } from "@/core/clock.ts";
import {
  BadRequestError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
} from "@/core/errors.ts";
import { backoff, type CommitStep, commitWithRetry, getMany } from "@/core/kv.ts";
import { addMemberEvent } from "./notifications.ts";
import { memberKey, normalizeWallet } from "@/core/members.ts";
import { readSendStateFresh, readSendStateKnown, sendMemo, type SendState } from "./send_state.ts";
import {
  blockKey,
  clearPair,
  hiddenKey,
  isLive,
  type Match,
  matchKey,
  matchSchema,
  memberMatchKey,
  pairId,
  quotaKey,
  readPair,
  receivedKey,
  type Signal,
  signalKey,
  signalSchema,
} from "./signal_store.ts";
import { z } from "zod";
import { ulid } from "@/core/ulid.ts";

/** Default number of new signals a member may send per day. */
export const DEFAULT_DAILY_SIGNAL_QUOTA = 10;
const DAY_MS = 24 * 60 * 60 * 1000;
const QUOTA_TTL_MS = 3 * DAY_MS;

/** Where a member's day starts: a UTC offset in minutes, or a function giving the day key for a time. */
export type DayBoundary = { utcOffsetMinutes: number } | ((epochMilliseconds: number) => string);

/** The quota day key (`YYYY-MM-DD` in the member's local time) for `now`. */
export function dayKeyFor(now: number, boundary: DayBoundary = { utcOffsetMinutes: 0 }): string {
  if (typeof boundary === "function") return boundary(now);
  return new Date(now + boundary.utcOffsetMinutes * 60_000).toISOString().slice(0, 10);
}

function secondsUntilNextDay(now: number, boundary: DayBoundary): number {
  if (typeof boundary === "function") return 3600;
  const offset = boundary.utcOffsetMinutes * 60_000;
  const next = (Math.floor((now + offset) / DAY_MS) + 1) * DAY_MS - offset;
  return Math.ceil((next - now) / 1000);
}

/** A match as one of its members sees it. */
export interface MatchView {
  pairId: string;
  /** The other member. */
  with: string;
  matchedAt: number;
}

function contended(): ConflictError {
  return new ConflictError("signal_contended", "Signals are being changed concurrently; retry.");
}

/** The entries of `keys` that are present. */
async function readPresent(kv: Deno.Kv, keys: Deno.KvKey[]) {
  return (await getMany(kv, keys)).filter((entry) => entry.versionstamp !== null);
}

function matchView(match: Match, wallet: string): MatchView {
  const other = match.members[0] === wallet ? match.members[1] : match.members[0];
  return { pairId: match.id, with: other, matchedAt: match.matchedAt };
}

/** Input of `sendSignal`. */
export interface SendSignalInput {
  from: string;
  to: string;
  /** New signals allowed per day (default 10). */
  dailyQuota?: number;
  /** The sender's day boundary (default UTC). */
  dayBoundary?: DayBoundary;
}

/** Outcome of `sendSignal`. */
export interface SendSignalResult {
  /** `sent` (pending), `matched` (this signal completed a pair) or `already_sent` (idempotent repeat). */
  status: "sent" | "matched" | "already_sent";
  /** The match, when the pair is mutual (now or before). */
  match: MatchView | null;
  sentAt: number;
}

/**
 * Sends a signal. BadRequestError `signal_to_self`; ForbiddenError `membership_required` (sender not
 * admitted), `signal_recipient_blocked` (sender blocked them); NotFoundError `signal_recipient_not_found`
 * (not an admitted member, hidden, or has blocked the sender — indistinguishable on purpose);
 * TooManyRequestsError `signal_quota_exceeded`; ConflictError `signal_contended` after bounded retries.
 * Repeating a sent signal returns its state and does not count against the quota (also when the
 * recipient's block cancelled it: the sender is not told). A signal the sender's own block withdrew
 * is revived as it was by sending it again (this counts against the quota). A cancelled reverse
 * signal never makes a match.
 */
export async function sendSignal(
  kv: Deno.Kv,
  clock: Clock,
  input: SendSignalInput,
): Promise<SendSignalResult> {
  const from = normalizeWallet(input.from);
  const to = normalizeWallet(input.to);
  const quota = input.dailyQuota ?? DEFAULT_DAILY_SIGNAL_QUOTA;
  const boundary = input.dayBoundary ?? { utcOffsetMinutes: 0 };
  if (from === to) throw new BadRequestError("signal_to_self", "You cannot signal yourself.");
  const id = pairId(from, to);
  const notFound = () => new NotFoundError("signal_recipient_not_found", "No such member.");

  /** The commit this state allows, or the outcome without one (thrown when refused). */
  const decide = (state: SendState, now: number, day: string): CommitStep<SendSignalResult> => {
    const sender = state.sender.value;
    if (!sender?.membership.admitted) {
      throw new ForbiddenError(
        "membership_required",
        "Only members of the vault can send signals.",
      );
    }
    if (!state.recipient.value?.membership.admitted || state.recipientHidden) throw notFound();
    if (state.blockedBySender) {
      throw new ForbiddenError("signal_recipient_blocked", "You have blocked this member.");
    }
    // A signal stands until a match or an unmatch; one cancelled by the recipient's block still
    // looks sent to its sender (checked before their block, which must not show).
    const forward = state.forward.value;
    const withdrawn = forward?.cancelledBy === "sender" ? forward : null;
    if (forward && !withdrawn) {
      return {
        value: {
          status: "already_sent",
          match: state.match.value ? matchView(state.match.value, from) : null,
          sentAt: forward.sentAt,
        },
      };
    }
    if (state.blockedByRecipient) throw notFound();
    const count = state.used.value ?? 0;
    if (count >= quota) {
      throw new TooManyRequestsError(
        "signal_quota_exceeded",
        `You can send ${quota} signals a day.`,
        secondsUntilNextDay(now, boundary),
      );
    }
    // Sending again a signal the sender's own block withdrew revives it as it was: its recipient
    // has counted it all along.
    const signal: Signal = withdrawn
      ? { id: withdrawn.id, from, to, sentAt: withdrawn.sentAt }
      : { id: ulid(clock), from, to, sentAt: now };
    const op = kv.atomic()
      .check({ key: signalKey(from, to), versionstamp: state.forward.versionstamp })
      .check({ key: signalKey(to, from), versionstamp: state.reverse.versionstamp })
      .check({ key: matchKey(id), versionstamp: state.match.versionstamp })
      .check({ key: blockKey(from, to), versionstamp: null })
      .check({ key: blockKey(to, from), versionstamp: null })
      .check({ key: quotaKey(from, day), versionstamp: state.used.versionstamp })
      .check({ key: hiddenKey(to), versionstamp: null })
      .check({ key: memberKey(from), versionstamp: state.sender.versionstamp })
      .check({ key: memberKey(to), versionstamp: state.recipient.versionstamp })
      .set(signalKey(from, to), signal)
      .set(receivedKey(to, from), signal.id)
      .set(quotaKey(from, day), count + 1, { expireIn: QUOTA_TTL_MS });
    let match: Match | null = null;
    if (isLive(state.reverse.value) && !state.match.value) {
      match = { id, members: from < to ? [from, to] : [to, from], matchedAt: now };
      op.set(matchKey(match.id), match)
        .set(memberMatchKey(from, match.id), match.id)
        .set(memberMatchKey(to, match.id), match.id);
      addMemberEvent(op, now, from, { type: "match", pairId: match.id, with: to });
      addMemberEvent(op, now, to, { type: "match", pairId: match.id, with: from });
    } else if (!withdrawn) {
      addMemberEvent(op, now, to, { type: "signal_received" });
    }
    const memo = sendMemo(kv);
    return {
      op,
      value: {
        status: match ? "matched" : "sent",
        match: match ? matchView(match, from) : null,
        sentAt: signal.sentAt,
      },
      landed: (versionstamp) => {
        memo.remember(signalKey(from, to), signal, versionstamp);
        memo.remember(quotaKey(from, day), count + 1, versionstamp);
        if (match) memo.remember(matchKey(id), match, versionstamp);
      },
    };
  };

  // The first attempt decides from what this process already knows (send_state.ts): when that
  // allows a commit, it is the only round trip (or two, for member records never seen). Anything
  // else — a refusal, a repeat, a commit that finds an entry changed — is decided again from one
  // fresh getMany of all nine keys, and the commit checks every versionstamp read.
  let knownFailed = false;
  return await commitWithRetry<SendSignalResult>(
    async (attempt) => {
      const now = clock.now();
      const day = dayKeyFor(now, boundary);
      const keys = { from, to, pairId: id, day };
      if (attempt === 0) {
        const step = await attemptFromKnown(() => readSendStateKnown(kv, keys), decide, now, day);
        if (step) {
          knownFailed = true;
          return step;
        }
      }
      return decide(await readSendStateFresh(kv, keys), now, day);
    },
    contended,
    {
      // A guess from the memo that missed is not contention: read again at once.
      pause: (attempt) => attempt === 1 && knownFailed ? Promise.resolve() : backoff(attempt),
    },
  );
}

/** The commit `decide` makes from the known state, or null when it would not commit (or throws). */
async function attemptFromKnown<T>(
  read: () => Promise<SendState>,
  decide: (state: SendState, now: number, day: string) => CommitStep<T>,
  now: number,
  day: string,
): Promise<CommitStep<T>> {
  const state = await read();
  try {
    const step = decide(state, now, day);
    return step && "op" in step ? step : null;
  } catch {
    // A refusal is only ever given from a fresh read.
    return null;
  }
}

/** What a member may know about signals received and not (yet) mutual: how many and when, never who. */
export interface ReceivedSignals {
  count: number;
  /** The UTC days (epoch ms of 00:00 UTC) the pending signals were sent, newest first. */
  times: number[];
}

/** The start (00:00 UTC, epoch ms) of the UTC day of `epochMilliseconds`. */
export function utcDayStart(epochMilliseconds: number): number {
  return Math.floor(epochMilliseconds / DAY_MS) * DAY_MS;
}

/**
 * Pending signals received by `wallet` (every received signal not part of a match, including those a
 * block cancelled): count and UTC days only — never the sender, never the exact time.
 */
export async function listReceived(kv: Deno.Kv, wallet: string): Promise<ReceivedSignals> {
  const me = normalizeWallet(wallet);
  const senders: string[] = [];
  for await (const entry of kv.list({ prefix: ["signals_by_recipient", me] })) {
    senders.push(z.string().parse(entry.key[2]));
  }
  const received = (await readPresent(kv, senders.map((sender) => signalKey(sender, me))))
    .map((entry) => signalSchema.parse(entry.value));
  const ids = received.map((signal) => pairId(signal.from, me));
  const matched = new Set(
    (await readPresent(kv, ids.map(matchKey))).map((entry) => matchSchema.parse(entry.value).id),
  );
  const times = received.filter((_, i) => !matched.has(ids[i]))
    .map((signal) => utcDayStart(signal.sentAt))
    .sort((a, b) => b - a);
  return { count: times.length, times };
}

/** A signal as its sender sees it. */
export interface SentSignal {
  to: string;
  sentAt: number;
  matched: boolean;
}

/**
 * Signals `wallet` has sent (still standing), newest first, each saying whether it is mutual. A signal
 * withdrawn by the member's own block is left out; one cancelled by the recipient's block is not.
 */
export async function listSent(kv: Deno.Kv, wallet: string): Promise<SentSignal[]> {
  const me = normalizeWallet(wallet);
  const sent: Signal[] = [];
  for await (const entry of kv.list({ prefix: ["signals", me] })) {
    const signal = signalSchema.parse(entry.value);
    if (signal.cancelledBy !== "sender") sent.push(signal);
  }
  const ids = sent.map((signal) => pairId(me, signal.to));
  const matched = new Set(
    (await readPresent(kv, ids.map(matchKey))).map((entry) => matchSchema.parse(entry.value).id),
  );
  return sent.map((signal, i) => ({
    to: signal.to,
    sentAt: signal.sentAt,
    matched: matched.has(ids[i]),
  }))
    .sort((a, b) => b.sentAt - a.sentAt);
}

/** A signal as the community refit reads it: who signalled whom, and when. */
export interface SignalEdge {
  from: string;
  to: string;
  sentAt: number;
}

/**
 * Every signal in the circle except those withdrawn by their sender's block (as {@link listSent}
 * counts them): the winners of the scoring domain's community refit.
 */
export async function listAllSignals(kv: Deno.Kv): Promise<SignalEdge[]> {
  const edges: SignalEdge[] = [];
  for await (const entry of kv.list({ prefix: ["signals"] }, { batchSize: 500 })) {
    const signal = signalSchema.parse(entry.value);
    if (signal.cancelledBy === "sender") continue;
    edges.push({ from: signal.from, to: signal.to, sentAt: signal.sentAt });
  }
  return edges;
}

/** Mutual matches of `wallet`, newest first. */
export async function listMutual(kv: Deno.Kv, wallet: string): Promise<MatchView[]> {
  const me = normalizeWallet(wallet);
  const ids: string[] = [];
  for await (const entry of kv.list({ prefix: ["mutual_matches_by_member", me] })) {
    ids.push(z.string().parse(entry.value));
  }
  const matches = await readPresent(kv, ids.map(matchKey));
  return matches.map((entry) => matchView(matchSchema.parse(entry.value), me))
    .sort((a, b) => b.matchedAt - a.matchedAt);
}

/** The match between `a` and `b` (what unlocks full profiles and photos), or null. */
export async function getMatch(kv: Deno.Kv, a: string, b: string): Promise<MatchView | null> {
  const me = normalizeWallet(a);
  const entry = await kv.get(matchKey(pairId(me, normalizeWallet(b))));
  return entry.versionstamp ? matchView(matchSchema.parse(entry.value), me) : null;
}

/**
 * Ends `wallet`'s match `matchId` (a pair id from {@link listMutual}); NotFoundError
 * `match_not_found` when it is not one of theirs (or has already ended).
 */
export async function unmatchById(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  matchId: string,
): Promise<void> {
  const match = (await listMutual(kv, wallet)).find((m) => m.pairId === matchId);
  if (!match) throw new NotFoundError("match_not_found", "You are not matched.");
  await unmatch(kv, clock, wallet, match.with);
}

/**
 * Ends the match between `wallet` and `other`, removing both signals (either may signal again later);
 * the other member gets a `match_ended` event. NotFoundError `match_not_found`.
 */
export async function unmatch(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  other: string,
): Promise<void> {
  const me = normalizeWallet(wallet);
  const them = normalizeWallet(other);
  await commitWithRetry(async () => {
    const pair = await readPair(kv, me, them);
    if (!pair.match.value) throw new NotFoundError("match_not_found", "You are not matched.");
    const op = kv.atomic();
    clearPair(op, me, them, pair);
    addMemberEvent(op, clock.now(), them, { type: "match_ended", pairId: pair.pairId });
    return { op, value: undefined };
  }, contended);
}
