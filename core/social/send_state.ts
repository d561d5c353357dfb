/**
 * What a send decides from — the pair's signals and match, the blocks, the recipient's hidden flag,
 * the sender's quota counter for the day and both member records — read in one of two ways:
 * - `fresh`: one `getMany` of all nine keys (what the store holds now);
 * - `known`: the entries this process last read or wrote (the sends' memo), with blocks, the hidden
 *   flag and every entry it has not seen taken as absent; only member records it has never seen are
 *   read. Nothing is trusted: the send's commit checks the versionstamp of every entry (null for an
 *   absent one), so a wrong guess only fails that commit, and the send reads `fresh` and decides again.
 * A KV round trip costs far more than the commit's extra checks, so a member's sends after their
 * first skip the read.
 */
import { type EntryMemo, entryMemoOf } from "@/core/kv.ts";
import { type Member, memberFromEntry, memberKey } from "@/core/members.ts";
import { z } from "zod";
import {
  hiddenKey,
  type Match,
  matchKey,
  quotaKey,
  readPair,
  type Signal,
  signalKey,
} from "./signal_store.ts";

/** An entry a send relies on: its value (null when absent) and versionstamp (null when absent). */
export interface Seen<T> {
  value: T | null;
  versionstamp: string | null;
}

/** Everything one send attempt decides from. */
export interface SendState {
  forward: Seen<Signal>;
  reverse: Seen<Signal>;
  match: Seen<Match>;
  blockedBySender: boolean;
  blockedByRecipient: boolean;
  recipientHidden: boolean;
  /** Signals the sender has sent that day. */
  used: Seen<number>;
  sender: Seen<Member>;
  recipient: Seen<Member>;
}

/** The pair and day a send is about. */
export interface SendKeys {
  from: string;
  to: string;
  pairId: string;
  day: string;
}

const countSchema = z.number().int().nonnegative();
const ABSENT = { value: null, versionstamp: null } as const;

/** The sends' memo of this KV handle. */
export function sendMemo(kv: Deno.Kv): EntryMemo {
  return entryMemoOf(kv, "signals.send");
}

/** Reads the send's nine keys in one `getMany` and remembers what it read. */
export async function readSendStateFresh(
  kv: Deno.Kv,
  keys: SendKeys,
): Promise<SendState> {
  const { from, to, day } = keys;
  const pair = await readPair(kv, from, to, {
    pairId: keys.pairId,
    extra: [quotaKey(from, day), hiddenKey(to), memberKey(from), memberKey(to)],
  });
  const [used, hidden, senderEntry, recipientEntry] = pair.extra;
  const state: SendState = {
    forward: pair.forward,
    reverse: pair.reverse,
    match: pair.match,
    blockedBySender: pair.blockedByA.exists,
    blockedByRecipient: pair.blockedByB.exists,
    recipientHidden: hidden.versionstamp !== null,
    used: {
      value: used.versionstamp ? countSchema.parse(used.value) : null,
      versionstamp: used.versionstamp,
    },
    sender: { value: memberFromEntry(senderEntry), versionstamp: senderEntry.versionstamp },
    recipient: {
      value: memberFromEntry(recipientEntry),
      versionstamp: recipientEntry.versionstamp,
    },
  };
  const memo = sendMemo(kv);
  memo.remember(signalKey(from, to), state.forward.value, state.forward.versionstamp);
  memo.remember(signalKey(to, from), state.reverse.value, state.reverse.versionstamp);
  memo.remember(matchKey(keys.pairId), state.match.value, state.match.versionstamp);
  memo.remember(quotaKey(from, day), state.used.value, state.used.versionstamp);
  memo.remember(memberKey(from), state.sender.value, state.sender.versionstamp);
  memo.remember(memberKey(to), state.recipient.value, state.recipient.versionstamp);
  return state;
}

/**
 * The state as this process last saw it (see the module comment): no read at all when both member
 * records are known, else one `getMany` of the unknown ones.
 */
export async function readSendStateKnown(
  kv: Deno.Kv,
  keys: SendKeys,
): Promise<SendState> {
  const { from, to, day } = keys;
  const memo = sendMemo(kv);
  const known = <T>(key: Deno.KvKey): Seen<T> => {
    const entry = memo.get<T>(key);
    return entry ? { value: entry.value, versionstamp: entry.versionstamp } : { ...ABSENT };
  };
  const sender = known<Member>(memberKey(from));
  const recipient = known<Member>(memberKey(to));
  const unknown = [sender, recipient].filter((member) => member.versionstamp === null);
  if (unknown.length > 0) {
    const wallets = [from, to].filter((_, i) => [sender, recipient][i].versionstamp === null);
    const entries = await kv.getMany<unknown[]>(wallets.map(memberKey));
    entries.forEach((entry, i) => {
      const member = memberFromEntry(entry);
      unknown[i].value = member;
      unknown[i].versionstamp = entry.versionstamp;
      memo.remember(memberKey(wallets[i]), member, entry.versionstamp);
    });
  }
  return {
    forward: known<Signal>(signalKey(from, to)),
    reverse: known<Signal>(signalKey(to, from)),
    match: known<Match>(matchKey(keys.pairId)),
    blockedBySender: false,
    blockedByRecipient: false,
    recipientHidden: false,
    used: known<number>(quotaKey(from, day)),
    sender,
    recipient,
  };
}
