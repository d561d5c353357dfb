import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import {
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  TooManyRequestsError,
} from "@/core/errors.ts";
import { readMemberEventsSince } from "@/core/social/notifications.ts";
import { createProfile } from "@/core/profiles/profiles.ts";
import {
  dayKeyFor,
  getMatch,
  listMutual,
  listReceived,
  listSent,
  sendSignal,
  unmatch,
} from "@/core/social/signals.ts";
import { admittedMember, admittedMembers, settle, verifiedMember } from "./helpers.ts";

const START = Date.UTC(2025, 0, 15, 12);

Deno.test("[signals] 1,000 pairs signalling each other at once make exactly 1,000 matches", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const wallets = await admittedMembers(kv, clock, 2000);
    const pairs = Array.from({ length: 1000 }, (_, i) => [wallets[2 * i], wallets[2 * i + 1]]);
    const results = await Promise.all(
      pairs.flatMap(([a, b]) => [
        sendSignal(kv, clock, { from: a, to: b }),
        sendSignal(kv, clock, { from: b, to: a }),
      ]),
    );
    for (let i = 0; i < 1000; i++) {
      const statuses = [results[2 * i].status, results[2 * i + 1].status].sort();
      assert.deepEqual(statuses, ["matched", "sent"], `pair ${i}`);
    }
    let matches = 0;
    const ids = new Set<string>();
    for await (const entry of kv.list({ prefix: ["mutual_matches"] })) {
      matches++;
      ids.add((entry.value as { id: string }).id);
    }
    assert.equal(matches, 1000);
    assert.equal(ids.size, 1000);
    await Promise.all(pairs.map(async ([a, b]) => {
      const [ofA, ofB, events] = await Promise.all([
        listMutual(kv, a),
        listMutual(kv, b),
        readMemberEventsSince(kv, a, null),
      ]);
      assert.equal(ofA.length, 1);
      assert.equal(ofB.length, 1);
      assert.equal(ofA[0].with, b);
      assert.equal(ofB[0].with, a);
      assert.equal(ofA[0].pairId, ofB[0].pairId);
      assert.equal(events.filter((event) => event.type === "match").length, 1);
    }));
  } finally {
    kv.close();
  }
});

Deno.test("[signals] parallel sends never exceed the daily quota", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [sender, ...recipients] = await admittedMembers(kv, clock, 41);
    const { ok, errors } = await settle(
      recipients.map((to) => sendSignal(kv, clock, { from: sender, to, dailyQuota: 10 })),
    );
    assert.equal(ok.length, 10);
    assert.equal(errors.length, 30);
    for (const error of errors) {
      assert.ok(error instanceof TooManyRequestsError, String(error));
      assert.equal(error.code, "signal_quota_exceeded");
    }
    assert.equal((await listSent(kv, sender)).length, 10);
    // A repeat is idempotent and free even with the quota used up.
    const first = ok[0];
    const repeatTo = (await listSent(kv, sender)).find((s) => s.sentAt === first.sentAt)!.to;
    assert.equal(
      (await sendSignal(kv, clock, { from: sender, to: repeatTo, dailyQuota: 10 })).status,
      "already_sent",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[signals] the quota resets at the member's day boundary", async () => {
  const kv = await Deno.openKv(":memory:");
  // 23:30 UTC = 01:30 next day at UTC+2, 18:30 at UTC−5.
  const clock = createManualClock(Date.UTC(2025, 0, 15, 23, 30));
  try {
    const [sender, ...others] = await admittedMembers(kv, clock, 8);
    const plus2 = { utcOffsetMinutes: 120 };
    const send = (to: string) =>
      sendSignal(kv, clock, { from: sender, to, dailyQuota: 2, dayBoundary: plus2 });
    assert.equal(dayKeyFor(clock.now(), plus2), "2025-01-16");
    await send(others[0]);
    await send(others[1]);
    await assert.rejects(send(others[2]), (error) => {
      assert.ok(error instanceof TooManyRequestsError);
      // The next local midnight is 22:00 UTC on the 16th: 22.5 hours away.
      assert.equal(error.retryAfterSeconds, 22.5 * 3600);
      return true;
    });
    clock.advance(22.5 * 3600 * 1000 - 1);
    await assert.rejects(send(others[2]), TooManyRequestsError);
    clock.advance(1);
    await send(others[2]);
    await send(others[3]);
    await assert.rejects(send(others[4]), TooManyRequestsError);
    // A day-key function works too.
    const byHour = (now: number) => new Date(now).toISOString().slice(0, 13);
    await sendSignal(kv, clock, {
      from: sender,
      to: others[4],
      dailyQuota: 2,
      dayBoundary: byHour,
    });
  } finally {
    kv.close();
  }
});

Deno.test("[signals] received signals never reveal the sender before a match", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [me, a, b, c] = await admittedMembers(kv, clock, 4);
    await sendSignal(kv, clock, { from: a, to: me });
    clock.advance(1000);
    await sendSignal(kv, clock, { from: b, to: me });
    clock.advance(1000);
    await sendSignal(kv, clock, { from: c, to: me });
    const received = await listReceived(kv, me);
    // Times are UTC days, never the exact moment.
    const day = START - (START % (24 * 60 * 60 * 1000));
    assert.deepEqual(received, { count: 3, times: [day, day, day] });
    const json = JSON.stringify(received).toLowerCase();
    for (const sender of [a, b, c]) {
      assert.ok(!json.includes(sender.toLowerCase()));
      assert.ok(!json.includes(sender.slice(2, 12)));
    }
    const events = JSON.stringify(await readMemberEventsSince(kv, me, null));
    for (const sender of [a, b, c]) assert.ok(!events.includes(sender));
    // Answering one makes it a match: it leaves the pending list and appears in mutual.
    const answer = await sendSignal(kv, clock, { from: me, to: b });
    assert.equal(answer.status, "matched");
    assert.deepEqual(await listReceived(kv, me), { count: 2, times: [day, day] });
    assert.deepEqual((await listMutual(kv, me)).map((m) => m.with), [b]);
    assert.deepEqual(
      (await listSent(kv, b)).map((s) => [s.to, s.matched]),
      [[me, true]],
    );
  } finally {
    kv.close();
  }
});

Deno.test("[signals] not to yourself, not to non-members or hidden members; repeats are idempotent", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b, hidden] = await admittedMembers(kv, clock, 3);
    const outsider = await verifiedMember(kv, clock, 99, 0xb);
    await assert.rejects(sendSignal(kv, clock, { from: a, to: a }), BadRequestError);
    await assert.rejects(sendSignal(kv, clock, { from: a, to: outsider }), NotFoundError);
    await assert.rejects(sendSignal(kv, clock, { from: outsider, to: a }), ForbiddenError);
    await createProfile({ kv, clock }, hidden, {
      displayName: "Hidden",
      dateOfBirth: "2000-01-01",
      university: "Imperial College London",
      graduationYear: 2026,
      vibeTags: ["night_owl", "bookworm", "chess"],
      gender: "woman",
      interestedIn: ["everyone"],
      region: "europe",
      hidden: true,
    });
    await assert.rejects(sendSignal(kv, clock, { from: a, to: hidden }), NotFoundError);
    const results = await Promise.all(
      Array.from({ length: 20 }, () => sendSignal(kv, clock, { from: a, to: b, dailyQuota: 1 })),
    );
    assert.equal(results.filter((r) => r.status === "sent").length, 1);
    assert.equal(results.filter((r) => r.status === "already_sent").length, 19);
    assert.equal((await listReceived(kv, b)).count, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[signals] unmatch ends the match for both and allows a fresh start", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const a = await admittedMember(kv, clock, 1);
    const b = await admittedMember(kv, clock, 2);
    await sendSignal(kv, clock, { from: a, to: b });
    await sendSignal(kv, clock, { from: b, to: a });
    assert.ok(await getMatch(kv, a, b));
    await unmatch(kv, clock, a, b);
    assert.equal(await getMatch(kv, b, a), null);
    assert.deepEqual(await listMutual(kv, a), []);
    assert.deepEqual(await listMutual(kv, b), []);
    assert.equal((await listReceived(kv, a)).count, 0);
    assert.deepEqual(await listSent(kv, b), []);
    await assert.rejects(unmatch(kv, clock, b, a), NotFoundError);
    const events = await readMemberEventsSince(kv, b, null);
    assert.equal(events.at(-1)?.type, "match_ended");
  } finally {
    kv.close();
  }
});
