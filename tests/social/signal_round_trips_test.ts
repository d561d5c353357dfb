import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { NotFoundError } from "@/core/errors.ts";
import { quotaKey } from "@/core/social/signal_store.ts";
import { dayKeyFor, sendSignal } from "@/core/social/signals.ts";
import { admittedMembers } from "./helpers.ts";

const START = Date.UTC(2025, 0, 15, 12);

/** KV calls that reach the store: reads (get, getMany, list, watch) and commits. */
interface RoundTrips {
  reads: string[];
  commits: number;
  /** Runs once after the next getMany has read, before its caller sees the entries. */
  afterNextRead?: () => Promise<void>;
}

/** A Kv that counts its round trips in `trips`; everything else goes to the real store. */
function countingKv(kv: Deno.Kv, trips: RoundTrips): Deno.Kv {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target);
      if (typeof value !== "function") return value;
      if (prop === "get" || prop === "getMany" || prop === "list" || prop === "watch") {
        return (...args: unknown[]) => {
          trips.reads.push(prop);
          const result = value.apply(target, args);
          if (prop !== "getMany" || !trips.afterNextRead) return result;
          const hook = trips.afterNextRead;
          trips.afterNextRead = undefined;
          return (result as Promise<unknown>).then(async (entries) => {
            await hook();
            return entries;
          });
        };
      }
      if (prop === "atomic") {
        return () => {
          const op = target.atomic();
          const commit = op.commit.bind(op);
          op.commit = () => {
            trips.commits++;
            return commit();
          };
          return op;
        };
      }
      return value.bind(target);
    },
  });
}

Deno.test("[signals] a first send reads the member records only; with them known a send is one commit", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b, c] = await admittedMembers(kv, clock, 3);
    const trips: RoundTrips = { reads: [], commits: 0 };
    const counted = countingKv(kv, trips);

    assert.equal((await sendSignal(counted, clock, { from: a, to: b })).status, "sent");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 1 });

    // Both members known, the reverse signal known from the commit above: no read at all.
    trips.reads = [];
    trips.commits = 0;
    assert.equal((await sendSignal(counted, clock, { from: b, to: a })).status, "matched");
    assert.deepEqual(trips, { reads: [], commits: 1 });

    // A repeat is answered from a fresh read, never from what the process remembers.
    trips.reads = [];
    trips.commits = 0;
    assert.equal((await sendSignal(counted, clock, { from: a, to: b })).status, "already_sent");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 0 });

    // `c` is new to this process: one getMany of its record only.
    trips.reads = [];
    trips.commits = 0;
    assert.equal((await sendSignal(counted, clock, { from: a, to: c })).status, "sent");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 1 });
    assert.equal((await kv.get(quotaKey(a, dayKeyFor(clock.now())))).value, 2);
  } finally {
    kv.close();
  }
});

Deno.test("[signals] a refused send commits nothing and is decided from a fresh read", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a] = await admittedMembers(kv, clock, 1);
    const stranger = `0x${"5".repeat(40)}`;
    const trips: RoundTrips = { reads: [], commits: 0 };
    await assert.rejects(
      sendSignal(countingKv(kv, trips), clock, { from: a, to: stranger }),
      NotFoundError,
    );
    assert.deepEqual(trips, { reads: ["getMany", "getMany"], commits: 0 });
  } finally {
    kv.close();
  }
});

Deno.test("[signals] what another instance changed behind the memo is seen: suspension, block, quota, match", async () => {
  const path = await Deno.makeTempFile({ suffix: ".kv" });
  const kv = await Deno.openKv(path);
  // A second handle on the same store stands for another instance (it has its own memo).
  const other = await Deno.openKv(path);
  const clock = createManualClock(START);
  try {
    const [a, b, c, d] = await admittedMembers(kv, clock, 4);
    assert.equal((await sendSignal(kv, clock, { from: a, to: b })).status, "sent");
    assert.equal((await sendSignal(kv, clock, { from: c, to: d })).status, "sent");

    // The other instance answers a's signal: this one must not create a second match.
    assert.equal((await sendSignal(other, clock, { from: b, to: a })).status, "matched");
    const again = await sendSignal(kv, clock, { from: b, to: a });
    assert.equal(again.status, "already_sent");
    assert.ok(again.match);
    let matches = 0;
    for await (const _ of kv.list({ prefix: ["mutual_matches"] })) matches++;
    assert.equal(matches, 1);

    // The other instance spends c's quota: this one refuses at the limit.
    assert.equal(
      (await sendSignal(other, clock, { from: c, to: a, dailyQuota: 2 })).status,
      "sent",
    );
    await assert.rejects(
      sendSignal(kv, clock, { from: c, to: b, dailyQuota: 2 }),
      (error: Error) => (error as { code?: string }).code === "signal_quota_exceeded",
    );

    // d blocks c there; here, d's send to c is refused as before the memo.
    await other.set(["blocks", d, c], { blockedAt: clock.now() });
    await assert.rejects(
      sendSignal(kv, clock, { from: d, to: c }),
      (error: Error) => (error as { code?: string }).code === "signal_recipient_blocked",
    );

    // The member record changes there (admission withdrawn): this one sees it.
    const record = await other.get<Record<string, unknown>>(["members", d]);
    const membership = { admitted: false, via: null, admittedAt: null, inviteId: null };
    await other.set(["members", d], { ...record.value!, membership });
    await assert.rejects(
      sendSignal(kv, clock, { from: d, to: a }),
      (error: Error) => (error as { code?: string }).code === "membership_required",
    );
  } finally {
    kv.close();
    other.close();
    for (const file of [path, `${path}-wal`, `${path}-shm`]) {
      await Deno.remove(file).catch(() => {});
    }
  }
});

Deno.test("[signals] a commit that loses a race reads once more and counts the quota once", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b] = await admittedMembers(kv, clock, 2);
    const key = quotaKey(a, dayKeyFor(clock.now()));
    const trips: RoundTrips = {
      reads: [],
      commits: 0,
      // Another send by `a` lands between this attempt's read and its commit.
      afterNextRead: async () => {
        assert.ok((await kv.atomic().set(key, 1).commit()).ok);
      },
    };
    const result = await sendSignal(countingKv(kv, trips), clock, { from: a, to: b });
    assert.equal(result.status, "sent");
    assert.deepEqual(trips.reads, ["getMany", "getMany"]);
    assert.equal(trips.commits, 2);
    assert.equal((await kv.get(key)).value, 2);
  } finally {
    kv.close();
  }
});
