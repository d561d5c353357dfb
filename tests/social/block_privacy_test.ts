import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { blockMember, unblockMember } from "@/core/social/safety.ts";
import { getMatch, listReceived, listSent, sendSignal } from "@/core/social/signals.ts";
import { admittedMembers } from "./helpers.ts";

const START = Date.UTC(2025, 0, 15, 12);
const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

Deno.test("[safety] blocking and unblocking anyone never changes the blocker's received signals", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [b, x, y, z] = await admittedMembers(kv, clock, 4);
    await sendSignal(kv, clock, { from: x, to: b });
    clock.advance(DAY + 3 * HOUR);
    await sendSignal(kv, clock, { from: y, to: b });
    clock.advance(HOUR);
    const before = await listReceived(kv, b);
    assert.equal(before.count, 2);
    for (const member of [x, y, z]) {
      await blockMember(kv, clock, b, member);
      assert.deepEqual(await listReceived(kv, b), before, "after a block");
      await unblockMember(kv, b, member);
      assert.deepEqual(await listReceived(kv, b), before, "after an unblock");
    }
    // Signalling back a member whose signal a block cancelled tells nothing either.
    assert.equal((await sendSignal(kv, clock, { from: b, to: x })).status, "sent");
    assert.equal(await getMatch(kv, b, x), null);
    assert.deepEqual(await listReceived(kv, b), before);
    // Times are UTC days, never the exact moment.
    assert.deepEqual(before.times, [START - 12 * HOUR + DAY, START - 12 * HOUR]);
  } finally {
    kv.close();
  }
});

Deno.test("[safety] a signal cancelled by its recipient's block stays counted and never matches", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [b, x] = await admittedMembers(kv, clock, 2);
    const first = await sendSignal(kv, clock, { from: x, to: b });
    const sentBefore = await listSent(kv, x);
    await blockMember(kv, clock, b, x);
    // The sender is not told: their sent list and a repeated send look as before.
    assert.deepEqual(await listSent(kv, x), sentBefore);
    const again = await sendSignal(kv, clock, { from: x, to: b });
    assert.deepEqual(again, { status: "already_sent", match: null, sentAt: first.sentAt });
    await unblockMember(kv, b, x);
    assert.deepEqual(await sendSignal(kv, clock, { from: x, to: b }), again);
    assert.equal((await sendSignal(kv, clock, { from: b, to: x })).status, "sent");
    assert.equal(await getMatch(kv, b, x), null);
    assert.equal((await listReceived(kv, b)).count, 1);
    assert.equal((await listReceived(kv, x)).count, 1);
    assert.deepEqual(await listSent(kv, x), sentBefore);
  } finally {
    kv.close();
  }
});

Deno.test("[safety] the blocked member's received signals don't change; the blocker may signal again", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [b, x] = await admittedMembers(kv, clock, 2);
    await sendSignal(kv, clock, { from: b, to: x });
    const received = await listReceived(kv, x);
    assert.equal(received.count, 1);
    await blockMember(kv, clock, b, x);
    assert.deepEqual(await listReceived(kv, x), received);
    assert.deepEqual(await listSent(kv, b), [], "the blocker's signal is withdrawn for them");
    await unblockMember(kv, b, x);
    assert.deepEqual(await listReceived(kv, x), received);
    // Signalling again revives the same signal: the recipient sees no change.
    assert.equal((await sendSignal(kv, clock, { from: b, to: x })).status, "sent");
    assert.deepEqual(await listReceived(kv, x), received);
    assert.equal((await listSent(kv, b)).length, 1);
    assert.equal((await sendSignal(kv, clock, { from: x, to: b })).status, "matched");
    assert.ok(await getMatch(kv, b, x));
  } finally {
    kv.close();
  }
});
