import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { BadRequestError, ConflictError, ForbiddenError, NotFoundError } from "@/core/errors.ts";
import { readMemberEventsSince } from "@/core/social/notifications.ts";
import {
  blockMember,
  isBlocked,
  listBlocked,
  listReports,
  reportMember,
  resolveReport,
  unblockMember,
} from "@/core/social/safety.ts";
import { createProfile, deleteProfile, updateProfile } from "@/core/profiles/profiles.ts";
import { createFsObjectStore } from "@/core/storage/fs.ts";
import { getMatch, listMutual, listReceived, listSent, sendSignal } from "@/core/social/signals.ts";
import { signalSchema } from "@/core/social/signal_store.ts";
import { admittedMembers } from "./helpers.ts";

const START = Date.UTC(2025, 0, 15, 12);

Deno.test("[safety] block cancels pending signals without telling either side; hides both ways", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b, c] = await admittedMembers(kv, clock, 3);
    await sendSignal(kv, clock, { from: b, to: a });
    await sendSignal(kv, clock, { from: c, to: a });
    const result = await blockMember(kv, clock, a, b);
    assert.deepEqual(result, { blocked: true, cancelledSignals: 1, endedMatch: false });
    assert.equal(await isBlocked(kv, a, b), true);
    assert.equal(await isBlocked(kv, b, a), true);
    assert.equal(await isBlocked(kv, a, c), false);
    // The cancelled signal still counts for a and still shows as sent for b.
    assert.equal((await listReceived(kv, a)).count, 2);
    assert.equal((await listSent(kv, b)).length, 1);
    // Neither can signal the other; the blocked side cannot tell a block from a missing member,
    // and a signal it had sent still answers as sent.
    await assert.rejects(sendSignal(kv, clock, { from: a, to: b }), ForbiddenError);
    assert.equal((await sendSignal(kv, clock, { from: b, to: a })).status, "already_sent");
    assert.deepEqual((await listBlocked(kv, a)).map((x) => x.wallet), [b]);
    await unblockMember(kv, a, b);
    assert.equal(await isBlocked(kv, a, b), false);
    // The cancelled signal never becomes a match.
    assert.equal((await sendSignal(kv, clock, { from: a, to: b })).status, "sent");
    assert.equal(await getMatch(kv, a, b), null);
    await assert.rejects(blockMember(kv, clock, a, a), BadRequestError);
  } finally {
    kv.close();
  }
});

Deno.test("[safety] block ends a match for both members", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b] = await admittedMembers(kv, clock, 2);
    await sendSignal(kv, clock, { from: a, to: b });
    await sendSignal(kv, clock, { from: b, to: a });
    assert.ok(await getMatch(kv, a, b));
    const result = await blockMember(kv, clock, b, a);
    assert.deepEqual(result, { blocked: true, cancelledSignals: 2, endedMatch: true });
    assert.equal(await getMatch(kv, a, b), null);
    assert.deepEqual(await listMutual(kv, a), []);
    assert.deepEqual(await listMutual(kv, b), []);
    assert.equal((await listReceived(kv, a)).count, 0);
    assert.equal((await listReceived(kv, b)).count, 0);
    const events = await readMemberEventsSince(kv, a, null);
    assert.equal(events.at(-1)?.type, "match_ended");
    assert.ok(!JSON.stringify(events).includes("block"));
  } finally {
    kv.close();
  }
});

Deno.test("[safety] a block racing a signal never leaves a live signal or a match behind", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const wallets = await admittedMembers(kv, clock, 200);
    const jobs = [];
    for (let i = 0; i < 100; i++) {
      const [a, b] = [wallets[2 * i], wallets[2 * i + 1]];
      jobs.push(
        sendSignal(kv, clock, { from: a, to: b }),
        sendSignal(kv, clock, { from: b, to: a }),
        blockMember(kv, clock, a, b),
      );
    }
    await Promise.allSettled(jobs);
    for (const prefix of ["mutual_matches", "mutual_matches_by_member"]) {
      const left = [];
      for await (const entry of kv.list({ prefix: [prefix] })) left.push(entry.key);
      assert.deepEqual(left, [], prefix);
    }
    // What stands is cancelled (it can never become a match) and indexed for its recipient.
    const signals = [];
    for await (const entry of kv.list({ prefix: ["signals"] })) {
      const signal = signalSchema.parse(entry.value);
      assert.ok(signal.cancelledBy, `${signal.from} → ${signal.to} is cancelled`);
      signals.push(`${signal.to}:${signal.from}`);
    }
    const indexed = [];
    for await (const entry of kv.list({ prefix: ["signals_by_recipient"] })) {
      indexed.push(entry.key.slice(1).map(String).join(":"));
    }
    assert.deepEqual(indexed.sort(), signals.sort());
  } finally {
    kv.close();
  }
});

Deno.test("[safety] reports are validated, stored for review, listed by page and resolved", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b, ...others] = await admittedMembers(kv, clock, 6);
    await assert.rejects(
      reportMember(kv, clock, { reporter: a, reported: b, reason: "rude", text: "" }),
      BadRequestError,
    );
    await assert.rejects(
      reportMember(kv, clock, { reporter: a, reported: b, reason: "spam", text: "x".repeat(1001) }),
      BadRequestError,
    );
    await assert.rejects(
      reportMember(kv, clock, { reporter: a, reported: a, reason: "spam", text: "" }),
      BadRequestError,
    );
    const first = await reportMember(kv, clock, {
      reporter: a,
      reported: b,
      reason: "harassment",
      text: "  kept messaging after I said no  ",
    });
    assert.equal(first.text, "kept messaging after I said no");
    for (let i = 0; i < 4; i++) {
      clock.advance(1000);
      await reportMember(kv, clock, {
        reporter: others[i],
        reported: b,
        reason: "spam",
        text: `#${i}`,
      });
    }
    const page1 = await listReports(kv, { limit: 3 });
    assert.equal(page1.values.length, 3);
    assert.equal(page1.values[0].id, first.id);
    assert.ok(page1.cursor);
    const page2 = await listReports(kv, { limit: 3, cursor: page1.cursor });
    assert.deepEqual(page2.values.map((r) => r.text), ["#2", "#3"]);
    assert.equal(page2.cursor, "");
    const resolved = await resolveReport(kv, clock, first.id, "warned");
    assert.equal(resolved.status, "resolved");
    assert.equal((await listReports(kv)).values.length, 4);
    await assert.rejects(
      resolveReport(kv, clock, "01JAAAAAAAAAAAAAAAAAAAAAAA", "x"),
      NotFoundError,
    );
  } finally {
    kv.close();
  }
});

Deno.test("[safety] one open report per reporter and member; resolving it allows another", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  try {
    const [a, b, c] = await admittedMembers(kv, clock, 3);
    const report = (reporter: string, reported: string) =>
      reportMember(kv, clock, { reporter, reported, reason: "spam", text: "" });
    const first = await report(a, b);
    await assert.rejects(
      report(a, b),
      (error: unknown) => error instanceof ConflictError && error.code === "report_already_open",
    );
    await report(a, c);
    await report(c, b);
    const racing = await Promise.allSettled([report(b, a), report(b, a), report(b, a)]);
    assert.equal(racing.filter((r) => r.status === "fulfilled").length, 1);
    await resolveReport(kv, clock, first.id, "warned");
    clock.advance(1000);
    await report(a, b);
    assert.equal((await listReports(kv)).values.length, 4);
  } finally {
    kv.close();
  }
});

Deno.test("[safety] hiding is the profile's hidden flag, and signals respect it", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  const root = await Deno.makeTempDir({ prefix: "aurum-safety-" });
  const objects = createFsObjectStore({ root, signingKey: "k".repeat(40) }, { clock });
  try {
    const [a, b, c] = await admittedMembers(kv, clock, 3);
    const input = {
      displayName: "Hidden",
      dateOfBirth: "2000-01-01",
      university: "Imperial College London",
      graduationYear: 2026,
      vibeTags: ["night_owl", "bookworm", "chess"],
      gender: "woman",
      interestedIn: ["everyone"],
      region: "europe",
    };
    const profile = await createProfile({ kv, clock }, b, { ...input, hidden: true });
    await assert.rejects(sendSignal(kv, clock, { from: a, to: b }), NotFoundError);
    await updateProfile({ kv, clock }, {
      profileId: profile.id,
      wallet: b,
      input: { hidden: false },
    });
    assert.equal((await sendSignal(kv, clock, { from: a, to: b })).status, "sent");
    await updateProfile({ kv, clock }, {
      profileId: profile.id,
      wallet: b,
      input: { hidden: true },
    });
    await assert.rejects(sendSignal(kv, clock, { from: c, to: b }), NotFoundError);
    await deleteProfile({ kv, clock, objects }, { profileId: profile.id, wallet: b });
    assert.equal((await sendSignal(kv, clock, { from: c, to: b })).status, "sent");
  } finally {
    kv.close();
    await objects.close();
    await Deno.remove(root, { recursive: true });
  }
});
