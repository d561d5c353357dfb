import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import {
  appendMemberEvent,
  memberEventsLatestKey,
  readMemberEventsSince,
} from "@/core/social/notifications.ts";

const WALLET = `0x${"d".repeat(40)}`;

Deno.test("[signals] member events are read after the last id, in order, even within one millisecond", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(Date.UTC(2025, 0, 15));
  try {
    const ids: string[] = [];
    for (let i = 0; i < 50; i++) {
      ids.push((await appendMemberEvent(kv, clock, WALLET, { type: "signal_received" })).id);
    }
    clock.set(Date.UTC(2025, 0, 14)); // a clock stepping back must not reorder the log
    ids.push((await appendMemberEvent(kv, clock, WALLET, { type: "signal_received" })).id);
    assert.deepEqual([...ids].sort(), ids);
    assert.deepEqual((await readMemberEventsSince(kv, WALLET, null)).map((e) => e.id), ids);
    assert.deepEqual(
      (await readMemberEventsSince(kv, WALLET, ids[47])).map((e) => e.id),
      ids.slice(48),
    );
    assert.deepEqual(await readMemberEventsSince(kv, WALLET, ids.at(-1)!), []);
    const latest = await kv.get(memberEventsLatestKey(WALLET));
    assert.equal((latest.value as { id: string }).id, ids.at(-1));
  } finally {
    kv.close();
  }
});

Deno.test("[signals] watching the latest-event key wakes a stream on a new event", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(Date.UTC(2025, 0, 15));
  try {
    const stream = kv.watch([memberEventsLatestKey(WALLET)]);
    const reader = stream.getReader();
    const initial = await reader.read();
    assert.equal(initial.value?.[0].versionstamp, null);
    const event = await appendMemberEvent(kv, clock, WALLET, {
      type: "match",
      pairId: "a".repeat(64),
      with: `0x${"e".repeat(40)}`,
    });
    const next = await reader.read();
    assert.equal((next.value?.[0].value as { id: string }).id, event.id);
    await reader.cancel();
  } finally {
    kv.close();
  }
});
