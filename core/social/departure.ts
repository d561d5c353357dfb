/**
 * A member leaving the circle, as the social domain sees it: everything that names their wallet is
 * removed, one coherent commit per pair, invite, claim or report, so a run stopped half-way leaves
 * every record whole and the next run finishes (each step finds nothing left to do the second time).
 *
 * - Pairs (signals either way, a match, blocks either way): cleared together; a match's other side
 *   gets `match_ended` and loses the `match` event that named the departed wallet and the pair's
 *   message events. The pair's conversations (every thread it had) are erased right after.
 * - Invites the member made: deleted with their code, inviter index and slot; a used one's claim too
 *   (the claimant stays admitted; their `invite_claims_by_claimant` entry keeps them from a second
 *   claim).
 * - The member's own claim: deleted; the inviter's used code keeps `claimedAt` but names nobody.
 * - Reports filed by or about them, warnings, quotas, events, allowances: deleted.
 */
import type { Clock } from "@/core/clock.ts";
import { ConflictError } from "@/core/errors.ts";
import { commitWithRetry, deleteByPrefix } from "@/core/kv.ts";
import { normalizeWallet, walletSchema } from "@/core/members.ts";
import { addMemberEvent } from "./notifications.ts";
import { blockKey, clearPair, pairId, readPair } from "./signal_store.ts";
import { eraseConversation } from "./conversations.ts";

function contended(): ConflictError {
  return new ConflictError("departure_contended", "The member's records are being changed.");
}

/** Every wallet the member shares a signal, match or block with. */
async function counterparts(kv: Deno.Kv, wallet: string): Promise<Set<string>> {
  const others = new Set<string>();
  const add = (value: unknown) => {
    const parsed = walletSchema.safeParse(value);
    if (parsed.success && parsed.data !== wallet) others.add(parsed.data);
  };
  for await (const entry of kv.list({ prefix: ["signals", wallet] })) add(entry.key[2]);
  for await (const entry of kv.list({ prefix: ["signals_by_recipient", wallet] })) {
    add(entry.key[2]);
  }
  for await (const entry of kv.list({ prefix: ["blocks", wallet] })) add(entry.key[2]);
  for await (const entry of kv.list({ prefix: ["blocks"] })) {
    if (entry.key[2] === wallet) add(entry.key[1]);
  }
  for await (const entry of kv.list({ prefix: ["mutual_matches_by_member", wallet] })) {
    const match = await kv.get<{ members?: unknown[] }>(["mutual_matches", String(entry.key[2])]);
    for (const member of match.value?.members ?? []) add(member);
  }
  return others;
}

/**
 * The other member's events about `departed`: `match` events naming the wallet, and the pair's
 * message and receipt events (their thread is erased).
 */
async function eventsAbout(kv: Deno.Kv, other: string, departed: string, pair: string) {
  const keys: Deno.KvKey[] = [];
  for await (
    const entry of kv.list<Record<string, unknown>>({ prefix: ["member_events", other] })
  ) {
    const { type, with: wallet, pairId: about } = entry.value ?? {};
    if (type === "match" && wallet === departed) keys.push(entry.key);
    if ((type === "message" || type === "message_read") && about === pair) keys.push(entry.key);
  }
  return keys;
}

/** Clears everything between `wallet` and `other` in one commit; true when a match ended. */
async function clearCounterpart(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
  other: string,
): Promise<boolean> {
  return await commitWithRetry(async () => {
    const state = await readPair(kv, wallet, other);
    const op = kv.atomic();
    clearPair(op, wallet, other, state);
    op.check({ key: blockKey(wallet, other), versionstamp: state.blockedByA.versionstamp })
      .check({ key: blockKey(other, wallet), versionstamp: state.blockedByB.versionstamp })
      .delete(blockKey(wallet, other))
      .delete(blockKey(other, wallet));
    for (const key of await eventsAbout(kv, other, wallet, state.pairId)) op.delete(key);
    const ended = state.match.value !== null;
    if (ended) {
      addMemberEvent(op, clock.now(), other, { type: "match_ended", pairId: state.pairId });
    }
    return { op, value: ended };
  }, contended);
}

/** Invites the member made: deleted with their indexes, and the claim of a used one. */
async function eraseOwnInvites(kv: Deno.Kv, wallet: string): Promise<number> {
  let erased = 0;
  for await (const entry of kv.list({ prefix: ["invites_by_inviter", wallet] })) {
    const id = String(entry.value);
    const invite = await kv.get<{ code?: string; claimId?: string | null }>(["invites", id]);
    const op = kv.atomic().check(invite).delete(entry.key).delete(["invites", id]);
    if (invite.value?.code) op.delete(["invites_by_code", invite.value.code]);
    if (invite.value?.claimId) op.delete(["invite_claims", invite.value.claimId]);
    if ((await op.commit()).ok) erased++;
    else throw contended();
  }
  for await (const entry of kv.list({ prefix: ["invite_slots", wallet] })) {
    await kv.delete(entry.key);
  }
  await kv.delete(["invite_allowances", wallet]);
  return erased;
}

/** The member's own claim: deleted, and the inviter's used code no longer names them. */
async function eraseOwnClaim(kv: Deno.Kv, wallet: string): Promise<void> {
  await commitWithRetry(async () => {
    const index = await kv.get(["invite_claims_by_claimant", wallet]);
    if (index.versionstamp === null) return { value: undefined };
    const claim = await kv.get<{ inviteId?: string }>(["invite_claims", String(index.value)]);
    const op = kv.atomic().check(index).check(claim).delete(index.key).delete(claim.key);
    if (claim.value?.inviteId) {
      const invite = await kv.get<Record<string, unknown>>(["invites", claim.value.inviteId]);
      if (invite.value && invite.value.claimedBy === wallet) {
        op.check(invite).set(invite.key, { ...invite.value, claimedBy: null });
      }
    }
    return { op, value: undefined };
  }, contended);
}

/** Reports filed by or about the member, with their open-review indexes. */
async function eraseReports(kv: Deno.Kv, wallet: string): Promise<number> {
  let erased = 0;
  for await (const entry of kv.list<Record<string, unknown>>({ prefix: ["reports"] })) {
    const { reporter, reported } = entry.value ?? {};
    if (reporter !== wallet && reported !== wallet) continue;
    const id = String(entry.key[1]);
    const op = kv.atomic().check(entry).delete(entry.key).delete(["reports_open", id]);
    const pair = await kv.get(["reports_open_by_pair", String(reporter), String(reported)]);
    if (pair.value === id) op.check(pair).delete(pair.key);
    if (!(await op.commit()).ok) throw contended();
    erased++;
  }
  return erased;
}

/** What {@link eraseSocialData} removed. */
export interface SocialErasure {
  pairs: number;
  matchesEnded: number;
  invites: number;
  reports: number;
}

/**
 * Removes every social record of `wallet` (see the module comment); idempotent and safe to run
 * again after a failure. ConflictError `departure_contended` when a record keeps changing.
 */
export async function eraseSocialData(
  kv: Deno.Kv,
  clock: Clock,
  wallet: string,
): Promise<SocialErasure> {
  const who = normalizeWallet(wallet);
  let matchesEnded = 0;
  const others = await counterparts(kv, who);
  for (const other of others) {
    if (await clearCounterpart(kv, clock, who, other)) matchesEnded++;
    const pair = await pairId(who, other);
    await eraseConversation(kv, pair);
    await deleteByPrefix(kv, ["message_quota", other, pair]);
  }
  const invites = await eraseOwnInvites(kv, who);
  await eraseOwnClaim(kv, who);
  const reports = await eraseReports(kv, who);
  await deleteByPrefix(kv, ["signal_quota", who]);
  await deleteByPrefix(kv, ["message_quota", who]);
  await deleteByPrefix(kv, ["member_warnings", who]);
  await deleteByPrefix(kv, ["member_events", who]);
  await kv.delete(["member_events_latest", who]);
  return { pairs: others.size, matchesEnded, invites, reports };
}
