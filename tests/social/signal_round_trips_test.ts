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

Deno.test("[signals] a send is one getMany and one commit; a repeat is one getMany", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b] = await admittedMembers(kv, clock, 2);
    const trips: RoundTrips = { reads: [], commits: 0 };
    const counted = countingKv(kv, trips);

    assert.equal((await sendSignal(counted, clock, { from: a, to: b })).status, "sent");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 1 });

    trips.reads = [];
    trips.commits = 0;
    assert.equal((await sendSignal(counted, clock, { from: b, to: a })).status, "matched");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 1 });

    trips.reads = [];
    trips.commits = 0;
    assert.equal((await sendSignal(counted, clock, { from: a, to: b })).status, "already_sent");
    assert.deepEqual(trips, { reads: ["getMany"], commits: 0 });
  } finally {
    kv.close();
  }
});

Deno.test("[signals] a refused send costs one getMany and no commit", async () => {
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
    assert.deepEqual(trips, { reads: ["getMany"], commits: 0 });
  } finally {
    kv.close();
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
