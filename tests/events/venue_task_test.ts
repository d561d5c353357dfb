/**
 * The admin tasks set an event's venue and who may read it; the collectible state of a ticket
 * follows its status, the chain's presence and its last mint attempt.
 */
import assert from "node:assert/strict";
import { claimTicket, readTicket } from "@/core/events/mod.ts";
import { collectibleState } from "@/core/events/collectible.ts";
import { eventForViewer } from "@/core/events/venue.ts";
import { runEventTask, UsageError } from "@/tasks/events.ts";
import { createManualClock, randomWallet, T0 } from "./helpers.ts";

const WHEN = ["--starts-at", "2030-01-05T20:00:00Z", "--ends-at", "2030-01-05T23:00:00Z"];

Deno.test("[events] event:create and event:update set the venue and keep it for ticket holders", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const created = await runEventTask(
      "create",
      ["--name", "Salon", ...WHEN, "--max-tickets", "4", "--venue", "The Crypt"],
      kv,
      clock,
    );
    assert.equal(created.venue, "The Crypt");
    assert.equal(created.venueHoldersOnly, false);
    const kept = await runEventTask(
      "update",
      ["--id", created.id, "--venue-holders-only", "--description", "Bring a candle."],
      kv,
      clock,
    );
    assert.equal(kept.venueHoldersOnly, true);
    assert.equal(kept.description, "Bring a candle.");
    assert.equal(kept.venue, "The Crypt", "an update keeps what it does not name");

    const holder = randomWallet();
    const stranger = randomWallet();
    await claimTicket(kv, clock, {
      eventId: kept.id,
      wallet: holder,
      idempotencyKey: "claim-0001",
    });
    assert.equal((await eventForViewer(kv, kept, { wallet: holder })).venue, "The Crypt");
    const hidden = await eventForViewer(kv, kept, { wallet: stranger });
    assert.deepEqual([hidden.venue, hidden.venueHidden], ["", true]);
    const admin = await eventForViewer(kv, kept, { wallet: stranger, admin: true });
    assert.equal(admin.venue, "The Crypt");

    const open = await runEventTask("update", ["--id", created.id, "--venue-public"], kv, clock);
    assert.equal(open.venueHoldersOnly, false);
    assert.equal((await eventForViewer(kv, open, { wallet: stranger })).venue, "The Crypt");

    await assert.rejects(
      () =>
        runEventTask(
          "update",
          ["--id", created.id, "--venue-holders-only", "--venue-public"],
          kv,
          clock,
        ),
      UsageError,
    );
    await assert.rejects(
      () => runEventTask("update", ["--id", created.id, "--venue", "v".repeat(301)], kv, clock),
      /venue must be at most 300 characters/,
    );
  } finally {
    kv.close();
  }
});

Deno.test("[events] collectible state: added once minted, delayed without a chain or after a failed attempt", async () => {
  const kv = await Deno.openKv(":memory:");
  try {
    const clock = createManualClock(T0);
    const event = await runEventTask(
      "create",
      ["--name", "Salon", ...WHEN, "--max-tickets", "4"],
      kv,
      clock,
    );
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet: randomWallet(),
      idempotencyKey: "claim-0002",
    });
    assert.equal(collectibleState(ticket, true), "adding");
    assert.equal(collectibleState(ticket, false), "delayed");
    const failed = { ...ticket, mint: { ...ticket.mint, attempts: 1, lastError: "refused" } };
    assert.equal(collectibleState(failed, true), "delayed");
    assert.equal(collectibleState({ ...ticket, status: "minted" }, false), "added");
    assert.equal(collectibleState({ ...ticket, status: "refunded" }, true), "none");
    assert.equal((await readTicket(kv, ticket.id)).ticket?.status, "pending_mint");
  } finally {
    kv.close();
  }
});
