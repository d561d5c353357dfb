/**
 * When a member last opened their matches, so the navigation can count the matches made since.
 * One key per member: `["matches_seen", wallet]` → epoch ms.
 */
import { z } from "zod";
import type { Clock } from "@/core/clock.ts";
import { normalizeWallet } from "@/core/members.ts";
import { listMutual } from "./signals.ts";

const seenKey = (wallet: string) => ["matches_seen", normalizeWallet(wallet)];

/** When `wallet` last opened their matches (0: never). */
export async function getMatchesSeenAt(kv: Deno.Kv, wallet: string): Promise<number> {
  const entry = await kv.get(seenKey(wallet));
  return entry.versionstamp ? z.number().int().min(0).parse(entry.value) : 0;
}

/** Records that `wallet` opened their matches now; returns the time it replaced (0: never). */
export async function markMatchesSeen(kv: Deno.Kv, clock: Clock, wallet: string): Promise<number> {
  const before = await getMatchesSeenAt(kv, wallet);
  await kv.set(seenKey(wallet), clock.now());
  return before;
}

/** How many of `wallet`'s current matches were made after they last opened their matches. */
export async function countUnseenMatches(kv: Deno.Kv, wallet: string): Promise<number> {
  const [seenAt, matches] = await Promise.all([
    getMatchesSeenAt(kv, wallet),
    listMutual(kv, wallet),
  ]);
  return matches.filter((match) => match.matchedAt > seenAt).length;
}
