import assert from "node:assert/strict";
import {
  cancelEvent,
  createEvent,
  getEvent,
  listEvents,
  updateEvent,
} from "@/core/events/events.ts";
import { DomainError } from "@/core/errors.ts";
import { claimTicket } from "@/core/events/tickets.ts";
import { runEventTask, UsageError } from "@/tasks/events.ts";
import { createManualClock, HOUR, makeEvent, randomWallet, T0 } from "./helpers.ts";

async function errorOf(body: () => Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await body();
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return { code: `${error.constructor.name}:${error.code}`, message: error.message };
  }
  assert.fail("expected an error");
}

Deno.test("[events] create validates every field with a clear message", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const { code, message } = await errorOf(() =>
      createEvent(kv, clock, {
        name: "",
        startsAt: "tomorrow",
        endsAt: T0 + HOUR,
        maxTickets: 0,
        price: { token: "ETH" as "WLD", amount: "1.5" },
        imageUrl: "javascript:alert(1)",
      })
    );
    assert.equal(code, "BadRequestError:invalid_event");
    for (
      const fragment of [
        "name must not be empty",
        "startsAt",
        "maxTickets must be at least 1",
        "price.token",
        "price.amount",
        "imageUrl",
      ]
    ) {
      assert.ok(message.includes(fragment), `${JSON.stringify(message)} mentions ${fragment}`);
    }
    const order = await errorOf(() =>
      createEvent(kv, clock, {
        name: "x",
        startsAt: T0 + 2 * HOUR,
        endsAt: T0 + HOUR,
        maxTickets: 5,
      })
    );
    assert.match(order.message, /endsAt must be after startsAt/);
    const event = await createEvent(kv, clock, {
      name: "  Gala  ",
      startsAt: "2030-01-02T20:00:00Z",
      endsAt: "2030-01-02T23:00:00+00:00",
      maxTickets: 3,
      price: { token: "USDCE", amount: "5000000" },
    });
    assert.equal(event.name, "Gala");
    assert.equal(event.startsAt, Date.UTC(2030, 0, 2, 20));
    assert.equal(event.currentTickets, 0);
    assert.equal(event.status, "active");
    assert.deepEqual(await getEvent(kv, event.id), event);
  } finally {
    kv.close();
  }
});

Deno.test("[events] update and cancel; capacity cannot drop below a held seat", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await makeEvent(kv, clock, { maxTickets: 3 });
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet: randomWallet(),
      idempotencyKey: "update-test-1",
    });
    const renamed = await updateEvent(kv, clock, event.id, {
      name: "Renamed",
      endsAt: event.endsAt + HOUR,
    });
    assert.equal(renamed.name, "Renamed");
    assert.equal(renamed.currentTickets, 1);
    if (ticket.seat > 1) {
      assert.equal(
        (await errorOf(() => updateEvent(kv, clock, event.id, { maxTickets: ticket.seat - 1 })))
          .code,
        "ConflictError:event_capacity_below_sold",
      );
    }
    assert.equal((await updateEvent(kv, clock, event.id, { maxTickets: 10 })).maxTickets, 10);
    assert.equal(
      (await errorOf(() => updateEvent(kv, clock, event.id, { colour: "red" } as never))).code,
      "BadRequestError:invalid_event",
    );
    const cancelled = await cancelEvent(kv, clock, event.id);
    assert.equal(cancelled.status, "cancelled");
    assert.equal(
      (await errorOf(() => updateEvent(kv, clock, event.id, { name: "Again" }))).code,
      "ConflictError:event_cancelled",
    );
    assert.equal((await errorOf(() => getEvent(kv, "nope"))).code, "NotFoundError:event_not_found");
  } finally {
    kv.close();
  }
});

Deno.test("[events] listing splits upcoming from past and pages with a cursor", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      ids.push(
        (await makeEvent(kv, clock, {
          name: `E${i}`,
          startsAt: T0 + i * HOUR,
          endsAt: T0 + (i + 1) * HOUR,
        })).id,
      );
    }
    clock.set(T0 + 2 * HOUR); // E0 and E1 have ended
    const first = await listEvents(kv, clock, { when: "upcoming", limit: 2 });
    assert.deepEqual(first.values.map((e) => e.name), ["E2", "E3"]);
    assert.notEqual(first.cursor, "");
    const second = await listEvents(kv, clock, {
      when: "upcoming",
      limit: 2,
      cursor: first.cursor,
    });
    assert.deepEqual(second.values.map((e) => e.name), ["E4"]);
    assert.equal(second.cursor, "");
    const past = await listEvents(kv, clock, { when: "past" });
    assert.deepEqual(past.values.map((e) => e.name), ["E1", "E0"]);
    assert.equal(
      (await errorOf(() => listEvents(kv, clock, { when: "soon" as never }))).code,
      "BadRequestError:invalid_query",
    );
    assert.equal(
      (await errorOf(() => listEvents(kv, clock, { when: "past", cursor: "garbage!" }))).code,
      "BadRequestError:invalid_cursor",
    );
  } finally {
    kv.close();
  }
});

Deno.test("[events] admin tasks create, update and cancel from flags or JSON", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const created = await runEventTask(
      "create",
      [
        "--name",
        "Salon",
        "--starts-at",
        "2030-01-05T20:00:00Z",
        "--ends-at",
        "2030-01-05T23:00:00Z",
        "--max-tickets",
        "40",
        "--price-token",
        "WLD",
        "--price-amount",
        "1000000000000000000",
      ],
      kv,
      clock,
    );
    assert.deepEqual(created.price, { token: "WLD", amount: "1000000000000000000" });
    const updated = await runEventTask(
      "update",
      ["--id", created.id, "--json", '{"maxTickets": 50, "price": null}'],
      kv,
      clock,
    );
    assert.equal(updated.maxTickets, 50);
    assert.equal(updated.price, null);
    assert.equal(
      (await runEventTask("cancel", ["--id", created.id], kv, clock)).status,
      "cancelled",
    );

    await assert.rejects(() => runEventTask("create", ["--nmae", "x"], kv, clock), UsageError);
    await assert.rejects(() => runEventTask("update", ["--name", "x"], kv, clock), /needs --id/);
    await assert.rejects(
      () => runEventTask("create", ["--json", "{"], kv, clock),
      /not valid JSON/,
    );
    await assert.rejects(
      () => runEventTask("create", ["--price-token", "WLD"], kv, clock),
      /go together/,
    );
    await assert.rejects(() => runEventTask("remove", [], kv, clock), /unknown command/);
    const invalid = await errorOf(() =>
      runEventTask("create", ["--name", "x", "--max-tickets", "many"], kv, clock)
    );
    assert.equal(invalid.code, "BadRequestError:invalid_event");
    assert.match(invalid.message, /maxTickets/);
    assert.match(invalid.message, /startsAt/);
  } finally {
    kv.close();
  }
});
