import assert from "node:assert/strict";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import { BadRequestError, NotFoundError, TooManyRequestsError } from "@/core/errors.ts";
import {
  blockMember,
  eraseConversation,
  listMessages,
  markRead,
  openThread,
  readMemberEventsSince,
  readReceipts,
  sendMessage,
  sendSignal,
  unmatch,
  unreadCounts,
} from "@/core/social/mod.ts";
import { admittedMembers, settle } from "./helpers.ts";

const START = Date.UTC(2030, 0, 1, 12);

async function matchedPair(count = 3) {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(START);
  const wallets = await admittedMembers(kv, clock, count);
  const [a, b] = wallets;
  await sendSignal(kv, clock, { from: a, to: b });
  const { match } = await sendSignal(kv, clock, { from: b, to: a });
  return { kv, clock, wallets, a, b, matchId: match!.pairId };
}

let keys = 0;
const key = () => `test-key-${++keys}-${crypto.randomUUID()}`;

async function send(
  kv: Deno.Kv,
  clock: ManualClock,
  from: string,
  matchId: string,
  text: string,
) {
  clock.advance(1000);
  return await sendMessage(kv, clock, { from, matchId, text, clientKey: key() });
}

async function countMessages(kv: Deno.Kv): Promise<number> {
  let n = 0;
  for await (const _ of kv.list({ prefix: ["messages"] })) n++;
  return n;
}

Deno.test("[conversations] the two members write and read, in order, with a cursor towards older messages", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    for (let i = 0; i < 5; i++) await send(kv, clock, i % 2 ? b : a, matchId, `message ${i}`);
    const threadOfA = await openThread(kv, a, matchId);
    const newest = await listMessages(kv, threadOfA, { limit: 3 });
    assert.deepEqual(newest.values.map((m) => m.text), ["message 2", "message 3", "message 4"]);
    assert.deepEqual(newest.values.map((m) => m.mine), [true, false, true]);
    assert.notEqual(newest.cursor, "");
    const older = await listMessages(kv, threadOfA, { limit: 3, cursor: newest.cursor });
    assert.deepEqual(older.values.map((m) => m.text), ["message 0", "message 1"]);
    assert.equal(older.cursor, "");
    const threadOfB = await openThread(kv, b, matchId);
    assert.deepEqual(
      (await listMessages(kv, threadOfB)).values.map((m) => m.mine),
      [false, true, false, true, false],
    );
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] a third member, a made-up match and an ended match open nothing", async () => {
  const { kv, clock, wallets: [a, b, c], matchId } = await matchedPair();
  try {
    await send(kv, clock, a, matchId, "only for you");
    await assert.rejects(() => openThread(kv, c, matchId), NotFoundError);
    await assert.rejects(() => send(kv, clock, c, matchId, "let me in"), NotFoundError);
    await assert.rejects(() => markRead(kv, clock, c, matchId), NotFoundError);
    await assert.rejects(() => openThread(kv, a, "f".repeat(64)), NotFoundError);
    await assert.rejects(() => openThread(kv, a, "../x"), NotFoundError);
    await unmatch(kv, clock, b, a);
    await assert.rejects(() => openThread(kv, a, matchId), NotFoundError);
    await assert.rejects(() => send(kv, clock, a, matchId, "still there?"), NotFoundError);
    assert.equal(await countMessages(kv), 1);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] text rules: empty or over 1,000 characters after trimming is refused, nothing stored", async () => {
  const { kv, clock, a, matchId } = await matchedPair();
  try {
    for (const text of ["", "   \n ", "x".repeat(1001)]) {
      await assert.rejects(
        () => send(kv, clock, a, matchId, text),
        (e) => e instanceof BadRequestError && e.code === "message_invalid",
      );
    }
    await assert.rejects(
      () => sendMessage(kv, clock, { from: a, matchId, text: "hi", clientKey: "short" }),
      (e) => e instanceof BadRequestError && e.code === "message_key_invalid",
    );
    assert.equal(await countMessages(kv), 0);
    const { message } = await send(kv, clock, a, matchId, `  ${"y".repeat(1000)}  `);
    assert.equal(message.text.length, 1000);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] race: two concurrent sends with one idempotency key store one message", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    const clientKey = key();
    const results = await Promise.all(
      Array.from(
        { length: 6 },
        () => sendMessage(kv, clock, { from: a, matchId, text: "hello", clientKey }),
      ),
    );
    assert.equal(new Set(results.map((r) => r.message.id)).size, 1);
    assert.equal(results.filter((r) => !r.duplicate).length, 1);
    assert.equal(await countMessages(kv), 1);
    assert.equal((await unreadCounts(kv, b)).total, 1);
    const events = await readMemberEventsSince(kv, b, null);
    assert.equal(events.filter((e) => e.type === "message").length, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] unread counts and receipts: counted per thread, cleared by reading, never backwards", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    const first = await send(kv, clock, a, matchId, "one");
    await send(kv, clock, a, matchId, "two");
    const third = await send(kv, clock, a, matchId, "three");
    assert.deepEqual(await unreadCounts(kv, b), { total: 3, byMatch: { [matchId]: 3 } });
    assert.equal((await unreadCounts(kv, a)).total, 0);
    assert.deepEqual(await markRead(kv, clock, b, matchId, first.message.id), {
      lastReadId: first.message.id,
      unread: 2,
    });
    assert.equal((await unreadCounts(kv, b)).total, 2);
    assert.deepEqual(await markRead(kv, clock, b, matchId), {
      lastReadId: third.message.id,
      unread: 0,
    });
    // An older id does not move the receipt back.
    assert.equal(
      (await markRead(kv, clock, b, matchId, first.message.id)).lastReadId,
      third.message.id,
    );
    assert.deepEqual(await unreadCounts(kv, b), { total: 0, byMatch: {} });
    const receipts = await readReceipts(kv, await openThread(kv, a, matchId));
    assert.deepEqual(receipts, { mine: null, theirs: third.message.id });
    const seen = (await readMemberEventsSince(kv, a, null)).filter((e) =>
      e.type === "message_read"
    );
    assert.deepEqual(seen.map((e) => "messageId" in e && e.messageId), [
      first.message.id,
      third.message.id,
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] race: concurrent read receipts and sends never lose or double-count a message", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    const sends = Array.from(
      { length: 8 },
      (_, i) => sendMessage(kv, clock, { from: a, matchId, text: `m${i}`, clientKey: key() }),
    );
    const reads = Array.from({ length: 8 }, () => markRead(kv, clock, b, matchId));
    const { errors } = await settle<unknown>([...sends, ...reads]);
    assert.deepEqual(errors, []);
    // Whatever the interleaving, the counter equals the messages after the receipt.
    const { mine } = await readReceipts(kv, await openThread(kv, b, matchId));
    const all = (await listMessages(kv, await openThread(kv, b, matchId))).values;
    const after = all.filter((m) => mine === null || m.id > mine).length;
    assert.equal((await unreadCounts(kv, b)).total, after);
    await markRead(kv, clock, b, matchId);
    assert.equal((await unreadCounts(kv, b)).total, 0);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] race: unmatch during sends — every send lands before the end or is refused", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    const sends = Array.from(
      { length: 10 },
      (_, i) => sendMessage(kv, clock, { from: a, matchId, text: `m${i}`, clientKey: key() }),
    );
    const { ok, errors } = await settle<unknown>([...sends, unmatch(kv, clock, b, a)]);
    assert.ok(errors.every((e) => e instanceof NotFoundError), String(errors));
    assert.ok(ok.length >= 1);
    assert.equal(await countMessages(kv), ok.length - 1);
    // Closed for both at once: no unread counter survives the match.
    assert.equal((await unreadCounts(kv, b)).total, 0);
    await assert.rejects(() => openThread(kv, b, matchId), NotFoundError);
    // The erase job (enqueued with the unmatch) removes the messages.
    await eraseConversation(kv, matchId, START);
    assert.equal(await countMessages(kv), 0);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] a block closes the thread for both; a new match starts an empty thread", async () => {
  const { kv, clock, a, b, matchId } = await matchedPair();
  try {
    await send(kv, clock, a, matchId, "before the block");
    await blockMember(kv, clock, b, a);
    await assert.rejects(() => openThread(kv, a, matchId), NotFoundError);
    await assert.rejects(() => openThread(kv, b, matchId), NotFoundError);
    assert.equal((await unreadCounts(kv, b)).total, 0);
    // The old thread is not erased yet (the job has not run), and still nobody sees it.
    assert.equal(await countMessages(kv), 1);
    await kv.delete(["blocks", b, a]);
    clock.advance(60_000);
    await sendSignal(kv, clock, { from: a, to: b });
    await sendSignal(kv, clock, { from: b, to: a });
    const fresh = await openThread(kv, a, matchId);
    assert.equal((await listMessages(kv, fresh)).values.length, 0);
    // Erasing the old thread leaves the new one alone, and erasing the live one does nothing.
    await send(kv, clock, a, matchId, "after");
    assert.equal(await eraseConversation(kv, matchId, START) > 0, true);
    assert.equal(await eraseConversation(kv, matchId, fresh.matchedAt), 0);
    assert.deepEqual((await listMessages(kv, fresh)).values.map((m) => m.text), ["after"]);
  } finally {
    kv.close();
  }
});

Deno.test("[conversations] rate limits: per thread and per member, 429 with the wait, nothing stored", async () => {
  const { kv, clock, wallets, a, matchId } = await matchedPair(3);
  const limits = {
    perThread: { limit: 3, windowSeconds: 60 },
    perMember: { limit: 4, windowSeconds: 3600 },
  };
  try {
    const go = (id: string, text: string) =>
      sendMessage(kv, clock, { from: a, matchId: id, text, clientKey: key(), limits });
    for (let i = 0; i < 3; i++) await go(matchId, `m${i}`);
    await assert.rejects(
      () => go(matchId, "one too many"),
      (e) =>
        e instanceof TooManyRequestsError && e.code === "message_rate_limited" &&
        e.retryAfterSeconds <= 60,
    );
    assert.equal(await countMessages(kv), 3);
    // A second thread has its own minute, but the member's hour is shared.
    const c = wallets[2];
    await sendSignal(kv, clock, { from: a, to: c });
    const { match } = await sendSignal(kv, clock, { from: c, to: a });
    await go(match!.pairId, "hello c");
    await assert.rejects(() => go(match!.pairId, "again"), TooManyRequestsError);
    clock.advance(60_000);
    await assert.rejects(() => go(matchId, "next minute, same hour"), TooManyRequestsError);
    clock.advance(3600_000);
    await go(matchId, "next hour");
    assert.equal(await countMessages(kv), 5);
  } finally {
    kv.close();
  }
});
