import assert from "node:assert/strict";
import { cancelEvent, getEvent } from "@/core/events/events.ts";
import { refundCancelledEvent } from "@/core/events/cancellation.ts";
import {
  checkIn,
  claimTicket,
  getTicket,
  issueCheckInToken,
  refundTicket,
} from "@/core/events/tickets.ts";
import { handleEventCancelRefunds } from "@/server/background/jobs.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { CHECKIN_SECRET, createManualClock, HOUR, makeEvent, randomWallet, T0 } from "./helpers.ts";

const ADMIN = { wallet: randomWallet(), admin: true };
let n = 0;
const key = () => `cancel-claim-${++n}`;

Deno.test("[events] cancelling owes the refunds: enqueued in the same commit, run once, used tickets kept", async () => {
  const kv = await Deno.openKv(":memory:");
  const messages: unknown[] = [];
  let sawCancel: () => void = () => {};
  const cancelSeen = new Promise<void>((resolve) => sawCancel = resolve);
  const listening = kv.listenQueue((message) => {
    messages.push(message);
    if ((message as { type?: string }).type === "event_cancel_refunds") sawCancel();
  });
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock, { maxTickets: 5 });
    const [a, b, c] = [randomWallet(), randomWallet(), randomWallet()];
    const claim = async (wallet: string) =>
      (await claimTicket(kv, clock, { eventId: event.id, wallet, idempotencyKey: key() })).ticket;
    const [ta, tb, tc] = [await claim(a), await claim(b), await claim(c)];
    // C gives their seat back themselves; B is let in at the door.
    await refundTicket(kv, clock, { ticketId: tc.id, viewer: { wallet: c } });
    clock.set(event.startsAt - HOUR);
    await checkIn(
      kv,
      clock,
      (await issueCheckInToken(tb, CHECKIN_SECRET, clock)).token,
      CHECKIN_SECRET,
    );
    assert.equal((await getEvent(kv, event.id)).currentTickets, 2);

    await cancelEvent(kv, clock, event.id);
    await cancelSeen;
    assert.deepEqual(
      messages.filter((m) => (m as { type?: string }).type === "event_cancel_refunds"),
      [{ type: "event_cancel_refunds", eventId: event.id }],
    );
    await cancelEvent(kv, clock, event.id); // twice: no second message
    const logger = createMemoryLogger();
    assert.equal(
      await handleEventCancelRefunds({ kv, clock, logger }, {
        type: "event_cancel_refunds",
        eventId: event.id,
      }),
      true,
    );
    const done = logger.entries.find((e) => e.msg === "event_cancel_refunds_done")!;
    assert.deepEqual(
      { refunded: done.refunded, checkedIn: done.checkedIn, alreadyRefunded: done.alreadyRefunded },
      { refunded: 1, checkedIn: 1, alreadyRefunded: 1 },
    );
    const refundedA = await getTicket(kv, ta.id, ADMIN);
    assert.equal(refundedA.status, "refunded");
    assert.equal(refundedA.refund?.by, "event_cancelled");
    assert.equal(refundedA.refund?.burn, "pending", "the token burn is queued");
    assert.equal((await getTicket(kv, tb.id, ADMIN)).status, "pending_mint", "used: kept");
    assert.equal((await getTicket(kv, tc.id, ADMIN)).refund?.by, c, "the member's own refund");
    assert.equal((await getEvent(kv, event.id)).currentTickets, 1);

    // Redelivery (or a second run) refunds nothing twice.
    const again = await refundCancelledEvent(kv, clock, event.id);
    assert.deepEqual(
      {
        refunded: again.refunded.length,
        checkedIn: again.checkedIn,
        already: again.alreadyRefunded,
      },
      { refunded: 0, checkedIn: 1, already: 2 },
    );
    assert.equal(
      await handleEventCancelRefunds({ kv, clock, logger }, {
        type: "ticket_burn",
      }),
      false,
      "other messages are not this job's",
    );
  } finally {
    kv.close();
    await listening;
  }
});

Deno.test("[events] an event cancelled after it started still refunds its unused tickets", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    });
    clock.set(event.startsAt + HOUR);
    await assert.rejects(
      refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet } }),
      /only be refunded before the event starts/,
      "a member's own refund window is closed",
    );
    await cancelEvent(kv, clock, event.id);
    const out = await refundCancelledEvent(kv, clock, event.id);
    assert.deepEqual(out.refunded.map((t) => t.id), [ticket.id]);
  } finally {
    kv.close();
  }
});
