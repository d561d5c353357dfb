import assert from "node:assert/strict";
import { cancelEvent, getEvent } from "@/core/events/events.ts";
import { ConflictError, DomainError, UnauthorizedError } from "@/core/errors.ts";
import {
  checkIn,
  claimTicket,
  getTicket,
  issueCheckInToken,
  listTickets,
  refundTicket,
} from "@/core/events/tickets.ts";
import { CHECKIN_SECRET, createManualClock, HOUR, makeEvent, randomWallet, T0 } from "./helpers.ts";

/** Runs `body` and returns `Class:code` of the domain error it throws. */
async function errorOf(body: () => Promise<unknown>): Promise<string> {
  try {
    await body();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return `${error.constructor.name}:${error.code}`;
  }
  assert.fail("expected an error");
}

let keyCounter = 0;
const key = () => `claim-${++keyCounter}-key`;

Deno.test("[events] a claim records a pending_mint ticket with a seat and a token id", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const { ticket, created } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    });
    assert.equal(created, true);
    assert.equal(ticket.status, "pending_mint");
    assert.equal(ticket.wallet, wallet);
    assert.ok(ticket.seat >= 1 && ticket.seat <= 10);
    assert.equal(BigInt(ticket.tokenId) >> 40n, BigInt(event.number));
    assert.equal((await getEvent(kv, event.id)).currentTickets, 1);
    assert.deepEqual((await listTickets(kv, { viewer: { wallet } })).values.map((t) => t.id), [
      ticket.id,
    ]);
  } finally {
    kv.close();
  }
});

Deno.test("[events] replaying an idempotency key returns the same ticket; a second ticket is refused", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const idempotencyKey = key();
    const first = await claimTicket(kv, clock, { eventId: event.id, wallet, idempotencyKey });
    const again = await claimTicket(kv, clock, { eventId: event.id, wallet, idempotencyKey });
    assert.equal(again.created, false);
    assert.equal(again.ticket.id, first.ticket.id);
    assert.equal(
      await errorOf(() =>
        claimTicket(kv, clock, { eventId: event.id, wallet, idempotencyKey: key() })
      ),
      "ConflictError:ticket_already_held",
    );
    assert.equal((await getEvent(kv, event.id)).currentTickets, 1);
  } finally {
    kv.close();
  }
});

Deno.test("[events] 500 concurrent claims for 100 seats issue exactly 100 tickets on distinct seats", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock, { maxTickets: 100 });
    const results = await Promise.allSettled(
      Array.from(
        { length: 500 },
        () =>
          claimTicket(kv, clock, {
            eventId: event.id,
            wallet: randomWallet(),
            idempotencyKey: key(),
          }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    assert.equal(won.length, 100);
    for (const r of lost) {
      assert.ok(
        r.reason instanceof ConflictError && r.reason.code === "event_sold_out",
        String(r.reason),
      );
    }
    const seats = new Set(won.map((r) => r.value.ticket.seat));
    assert.equal(seats.size, 100);
    const view = await getEvent(kv, event.id);
    assert.equal(view.currentTickets, 100);
    assert.equal(view.remainingTickets, 0);
    const admin = await listTickets(kv, {
      viewer: { wallet: randomWallet(), admin: true },
      eventId: event.id,
      limit: 100,
    });
    assert.equal(admin.values.length, 100);
  } finally {
    kv.close();
  }
});

Deno.test("[events] a refund frees a seat another member then takes; refund after start → 409", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock, { maxTickets: 1 });
    const alice = randomWallet();
    const bob = randomWallet();
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet: alice,
      idempotencyKey: key(),
    });
    assert.equal(
      await errorOf(() =>
        claimTicket(kv, clock, { eventId: event.id, wallet: bob, idempotencyKey: key() })
      ),
      "ConflictError:event_sold_out",
    );
    assert.equal(
      await errorOf(() =>
        refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet: bob } })
      ),
      "NotFoundError:ticket_not_found",
    );
    const refunded = await refundTicket(kv, clock, {
      ticketId: ticket.id,
      viewer: { wallet: alice },
    });
    assert.equal(refunded.status, "refunded");
    assert.equal(refunded.refund?.burn, "pending");
    assert.equal((await getEvent(kv, event.id)).currentTickets, 0);
    // Refunding again is a no-op.
    assert.equal(
      (await refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet: alice } })).status,
      "refunded",
    );

    const taken = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet: bob,
      idempotencyKey: key(),
    });
    assert.equal(taken.ticket.seat, ticket.seat);
    assert.equal(taken.ticket.generation, ticket.generation + 1);
    assert.notEqual(taken.ticket.tokenId, ticket.tokenId, "a token id is never reused");
    assert.equal((await getEvent(kv, event.id)).currentTickets, 1);

    clock.set(event.startsAt);
    assert.equal(
      await errorOf(() =>
        refundTicket(kv, clock, { ticketId: taken.ticket.id, viewer: { wallet: bob } })
      ),
      "ConflictError:refund_window_closed",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[events] a refunding member can claim again; cancelled and ended events refuse claims", async () => {
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
    await refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet } });
    const again = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    });
    assert.equal(again.created, true);

    await cancelEvent(kv, clock, event.id);
    assert.equal(
      await errorOf(() =>
        claimTicket(kv, clock, { eventId: event.id, wallet: randomWallet(), idempotencyKey: key() })
      ),
      "ConflictError:event_cancelled",
    );
    const later = await makeEvent(kv, clock);
    clock.set(later.endsAt);
    assert.equal(
      await errorOf(() =>
        claimTicket(kv, clock, { eventId: later.id, wallet: randomWallet(), idempotencyKey: key() })
      ),
      "ConflictError:event_ended",
    );
    assert.equal(
      await errorOf(() =>
        claimTicket(kv, clock, { eventId: later.id, wallet, idempotencyKey: "short" })
      ),
      "BadRequestError:invalid_idempotency_key",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[events] check-in marks a ticket used once; second → 409; forged or expired → 401", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const admin = randomWallet();
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    });
    clock.set(event.startsAt - HOUR);
    const { token, expiresAt } = await issueCheckInToken(ticket, CHECKIN_SECRET, clock, 120);
    assert.ok(token.length < 100, `QR payload stays compact (${token.length})`);
    assert.equal(expiresAt, clock.now() + 120_000);

    const [version, ticketId, expiry, mac] = token.split(".");
    const forgedMac = (mac[0] === "A" ? "B" : "A") + mac.slice(1);
    // Same MAC bytes, other spelling: the last character's two unused bits flipped.
    const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    const respelled = mac.slice(0, -1) + B64[B64.indexOf(mac.at(-1)!) ^ 1];
    for (
      const forged of [
        `${version}.${ticketId}.${expiry}.${forgedMac}`,
        `${version}.${ticketId}.${expiry}.${respelled}`,
        `${version}.${ticketId}.${(parseInt(expiry, 36) + 3600).toString(36)}.${mac}`,
        "not a ticket",
      ]
    ) {
      assert.equal(
        await errorOf(() => checkIn(kv, clock, forged, CHECKIN_SECRET)),
        "UnauthorizedError:checkin_token_invalid",
      );
    }
    const other = await issueCheckInToken(ticket, "another-secret-of-at-least-32-chars!!", clock);
    assert.equal(
      await errorOf(() => checkIn(kv, clock, other.token, CHECKIN_SECRET)),
      "UnauthorizedError:checkin_token_invalid",
    );

    const used = await checkIn(kv, clock, token, CHECKIN_SECRET, {
      expectedEventId: event.id,
      scannedBy: admin,
    });
    assert.equal(used.checkedInAt, clock.now());
    assert.equal(used.checkedInBy, admin);
    assert.equal(
      await errorOf(() => checkIn(kv, clock, token, CHECKIN_SECRET)),
      "ConflictError:ticket_already_checked_in",
    );
    assert.equal(
      await errorOf(() => refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet } })),
      "ConflictError:ticket_checked_in",
    );
    assert.equal((await getTicket(kv, ticket.id, { wallet })).checkedInAt, clock.now());

    const second = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet: randomWallet(),
      idempotencyKey: key(),
    });
    const late = await issueCheckInToken(second.ticket, CHECKIN_SECRET, clock, 60);
    clock.advance(60_000);
    const error = await (async () => {
      try {
        await checkIn(kv, clock, late.token, CHECKIN_SECRET);
      } catch (error) {
        return error;
      }
    })();
    assert.ok(error instanceof UnauthorizedError);
    assert.equal(error.code, "checkin_token_expired");
  } finally {
    kv.close();
  }
});
