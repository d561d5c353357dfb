/**
 * Events and tickets over HTTP on the real app and a real anvil: claim → queue job (startJobs) →
 * minted on chain with the right token URI and public metadata; refunds and seats; check-in codes;
 * admin-only routes.
 */
import assert from "node:assert/strict";
import { getAddress } from "viem";
import { METADATA_BASE, startTicketChain } from "@/tests/events/helpers.ts";
import { dispatchTicketJob } from "@/server/background/jobs.ts";
import {
  ADMIN,
  call,
  claim,
  createEventHttp,
  eventsApp,
  expectJson,
  HOUR,
  MEMBER,
  signInAs,
} from "./helpers.ts";

async function waitForStatus(
  t: Awaited<ReturnType<typeof eventsApp>>,
  cookie: string,
  ticketId: string,
  status: string,
  timeoutMs = 20_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const { ticket } = await expectJson(
      await t.fetch(`/api/tickets/${ticketId}`, call(cookie)),
      200,
    );
    if (ticket.status === status) return ticket;
    if (Date.now() > deadline) {
      throw new Error(`ticket still ${ticket.status}: ${JSON.stringify(ticket)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

Deno.test({
  name:
    "[events http] claim → minted on anvil to the member, token URI and public metadata; refund frees the seat",
  fn: async () => {
    const chain = await startTicketChain();
    const t = await eventsApp({}, { tickets: chain.ticketChain });
    try {
      t.startJobs();
      const admin = await signInAs(t, "keyholder");
      const member = await signInAs(t, "invitee");
      const event = await createEventHttp(t, admin, { maxTickets: 1 });

      const listed = await expectJson(
        await t.fetch("/api/events?when=upcoming", call(member)),
        200,
      );
      assert.deepEqual(listed.events.map((e: { id: string }) => e.id), [event.id]);
      const past = await expectJson(await t.fetch("/api/events?when=past", call(member)), 200);
      assert.deepEqual(past.events, []);
      assert.equal(
        (await expectJson(await t.fetch("/api/events?when=later", call(member)), 400)).error.code,
        "invalid_query",
      );

      // Without an idempotency key: refused.
      const noKey = await t.fetch(`/api/events/${event.id}/tickets`, call(member, "POST"));
      assert.equal((await expectJson(noKey, 400)).error.code, "idempotency_key_required");

      const res = await claim(t, member, event.id);
      const { ticket } = await expectJson(res, 201);
      assert.equal(ticket.status, "pending_mint");
      assert.equal(ticket.wallet, MEMBER);

      const minted = await waitForStatus(t, member, ticket.id, "minted");
      assert.match(minted.mint.txHash, /^0x[0-9a-f]{64}$/);
      const tokenId = BigInt(minted.tokenId);
      assert.equal(await chain.read("ownerOf", tokenId), getAddress(MEMBER));
      assert.equal(await chain.read("tokenURI", tokenId), `${METADATA_BASE}${minted.tokenId}`);
      assert.equal(await chain.mintCount(tokenId), 1);

      // The metadata URL is public (no cookie) and serves valid JSON.
      const meta = await t.fetch(`/api/tickets/metadata/${minted.tokenId}`);
      assert.equal(meta.status, 200);
      assert.match(meta.headers.get("content-type")!, /application\/json/);
      const metadata = await meta.json();
      assert.equal(metadata.name, "Midnight Salon — Seat 1");
      assert.equal(metadata.event.id, event.id);
      assert.equal(metadata.seat, 1);
      assert.equal(metadata.image, "https://aurum.test/images/salon.jpg");
      assert.equal((await t.fetch("/api/tickets/metadata/999")).status, 404);

      // Sold out for the admin; own tickets listing; another member cannot see the ticket.
      assert.equal(
        (await expectJson(await claim(t, admin, event.id), 409)).error.code,
        "event_sold_out",
      );
      const own = await expectJson(
        await t.fetch(`/api/events/${event.id}/tickets`, call(member)),
        200,
      );
      assert.deepEqual(own.tickets.map((x: { id: string }) => x.id), [ticket.id]);
      const adminList = await expectJson(
        await t.fetch(`/api/events/${event.id}/tickets`, call(admin)),
        200,
      );
      assert.equal(adminList.tickets.length, 1);
      const adminOwn = await expectJson(
        await t.fetch(`/api/tickets/${ticket.id}/checkin-token`, call(admin)),
        404,
      );
      assert.equal(adminOwn.error.code, "ticket_not_found", "a check-in code only for the holder");

      // Refund frees the seat; the token is burned; the admin then takes the seat.
      const refunded = await expectJson(
        await t.fetch(`/api/events/${event.id}/tickets/${ticket.id}/refund`, call(member, "POST")),
        200,
      );
      assert.equal(refunded.ticket.status, "refunded");
      const second = await expectJson(await claim(t, admin, event.id), 201);
      assert.equal(second.ticket.wallet, ADMIN);
      assert.equal(second.ticket.seat, 1);
      const secondMinted = await waitForStatus(t, admin, second.ticket.id, "minted");
      assert.equal(await chain.read("ownerOf", BigInt(secondMinted.tokenId)), getAddress(ADMIN));
      assert.notEqual(secondMinted.tokenId, minted.tokenId);
      const deadline = Date.now() + 20_000;
      while ((await chain.balanceOf(MEMBER)) !== 0n && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(await chain.balanceOf(MEMBER), 0n, "the refunded token is burned");

      // After the start: no refund.
      t.clock.advance(25 * HOUR);
      const late = await t.fetch(
        `/api/events/${event.id}/tickets/${second.ticket.id}/refund`,
        call(admin, "POST"),
      );
      assert.equal((await expectJson(late, 409)).error.code, "refund_window_closed");
    } finally {
      await t.stop();
      await chain.stop();
    }
  },
});

Deno.test("[events http] check-in: once (second → 409), forged or expired code → 401, admins only", async () => {
  const t = await eventsApp(); // no ticket chain: tickets stay pending_mint, check-in still works
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin, { maxTickets: 5 });
    const { ticket } = await expectJson(await claim(t, member, event.id), 201);
    const { token, expiresAt } = await expectJson(
      await t.fetch(`/api/tickets/${ticket.id}/checkin-token`, call(member)),
      200,
    );
    assert.match(token, /^t1\./);
    assert.ok(Date.parse(expiresAt) > t.clock.now());

    // A member cannot scan.
    const notAdmin = await t.fetch("/api/checkin", call(member, "POST", { token }));
    assert.equal((await expectJson(notAdmin, 403)).error.code, "admin_only");

    // Forged: one character of the MAC changed.
    // Change a character in the middle of the MAC (every bit of it counts there).
    const at = token.length - 20;
    const forged = token.slice(0, at) + (token[at] === "A" ? "B" : "A") + token.slice(at + 1);
    const bad = await t.fetch("/api/checkin", call(admin, "POST", { token: forged }));
    assert.equal((await expectJson(bad, 401)).error.code, "checkin_token_invalid");
    const garbage = await t.fetch("/api/checkin", call(admin, "POST", { token: "hello" }));
    assert.equal((await expectJson(garbage, 401)).error.code, "checkin_token_invalid");

    // Expired: the clock moves past the token's lifetime.
    t.clock.advance(10 * 60_000);
    const expired = await t.fetch("/api/checkin", call(admin, "POST", { token }));
    assert.equal((await expectJson(expired, 401)).error.code, "checkin_token_expired");

    const fresh = await expectJson(
      await t.fetch(`/api/tickets/${ticket.id}/checkin-token`, call(member)),
      200,
    );
    const first = await t.fetch("/api/checkin", call(admin, "POST", { token: fresh.token }));
    const used = await expectJson(first, 200);
    assert.equal(used.ticket.checkedInBy, ADMIN);
    const again = await t.fetch("/api/checkin", call(admin, "POST", { token: fresh.token }));
    assert.equal((await expectJson(again, 409)).error.code, "ticket_already_checked_in");
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] admin-only event management: member → 403; admin edits and cancels", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const body = {
      name: "Vault Night",
      startsAt: t.clock.now() + HOUR,
      endsAt: t.clock.now() + 2 * HOUR,
      maxTickets: 3,
    };
    const denied = await t.fetch("/api/events", call(member, "POST", body));
    assert.equal((await expectJson(denied, 403)).error.code, "admin_only");
    const invalid = await t.fetch("/api/events", call(admin, "POST", { ...body, maxTickets: 0 }));
    assert.equal((await expectJson(invalid, 400)).error.code, "invalid_event");
    const event = await createEventHttp(t, admin, body);

    const put = await t.fetch(`/api/events/${event.id}`, call(member, "PUT", { name: "Mine" }));
    assert.equal(put.status, 403);
    await put.body?.cancel();
    const edited = await expectJson(
      await t.fetch(`/api/events/${event.id}`, call(admin, "PUT", { name: "Vault Night II" })),
      200,
    );
    assert.equal(edited.event.name, "Vault Night II");
    const cancelDenied = await t.fetch(`/api/events/${event.id}/cancel`, call(member, "POST"));
    assert.equal(cancelDenied.status, 403);
    await cancelDenied.body?.cancel();
    const cancelled = await expectJson(
      await t.fetch(`/api/events/${event.id}/cancel`, call(admin, "POST")),
      200,
    );
    assert.equal(cancelled.event.status, "cancelled");
    assert.equal(
      (await expectJson(await claim(t, member, event.id), 409)).error.code,
      "event_cancelled",
    );
    const one = await expectJson(await t.fetch(`/api/events/${event.id}`, call(member)), 200);
    assert.equal(one.event.status, "cancelled");
    assert.equal((await t.fetch(`/api/events/${event.id}`)).status, 401, "members only");
    assert.equal(
      (await expectJson(await t.fetch("/api/events/01ARZ3NDEKTSV4RRFFQ69G5FAV", call(member)), 404))
        .error.code,
      "event_not_found",
    );
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] without a ticket chain the mint job fails loudly (the queue retries, then dead-letters)", async () => {
  const t = await eventsApp({}, { tickets: null });
  try {
    const admin = await signInAs(t, "keyholder");
    const event = await createEventHttp(t, admin);
    const { ticket } = await expectJson(await claim(t, admin, event.id), 201);
    await assert.rejects(
      dispatchTicketJob(t.app.deps, { type: "ticket_mint", ticketId: ticket.id, attempt: 0 }),
      /not configured/,
    );
    assert.ok(t.logs.some((entry) => entry.msg === "ticket_chain_not_configured"));
    assert.equal(await dispatchTicketJob(t.app.deps, { type: "photo_sweep" }), false);
  } finally {
    await t.stop();
  }
});
