/** Releasing a free seat from the event page with a plain form (no JavaScript). */
import assert from "node:assert/strict";
import { call, claim, createEventHttp, eventsApp, expectJson, HOUR, signInAs } from "./helpers.ts";

function form(cookie: string, fields: Record<string, string>): RequestInit {
  return {
    ...call(cookie, "POST", undefined, { "content-type": "application/x-www-form-urlencoded" }),
    body: new URLSearchParams(fields).toString(),
  };
}

Deno.test("[events http] release form: a free seat goes back to the pool before the start", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin, { maxTickets: 1 });
    const { ticket } = await expectJson(await claim(t, member, event.id), 201);

    const page = await (await t.fetch(`/events/${event.id}`, call(member))).text();
    assert.match(page, /data-testid="release-open"/);
    assert.match(page, new RegExp(`name="ticketId" value="${ticket.id}"`));

    // Bad input and someone else's ticket change nothing.
    const empty = await t.fetch(`/events/${event.id}`, form(member, { ticketId: "" }));
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Choose the ticket to release\./);
    const notTheirs = await t.fetch(`/events/${event.id}`, form(admin, { ticketId: ticket.id }));
    assert.equal(notTheirs.status, 404);
    assert.match(await notTheirs.text(), /no longer yours to release/);
    assert.equal(
      (await expectJson(await claim(t, admin, event.id), 409)).error.code,
      "event_sold_out",
      "the seat is still taken",
    );

    const released = await t.fetch(`/events/${event.id}`, form(member, { ticketId: ticket.id }));
    assert.equal(released.status, 303);
    assert.equal(released.headers.get("location"), `/events/${event.id}?released=1`);
    await released.body?.cancel();
    const after = await expectJson(await t.fetch(`/api/tickets/${ticket.id}`, call(member)), 200);
    assert.equal(after.ticket.status, "refunded");
    const notice = await (await t.fetch(`/events/${event.id}?released=1`, call(member))).text();
    assert.match(notice, /data-testid="event-notice"/);
    assert.doesNotMatch(notice, /data-testid="release-open"/, "no ticket, nothing to release");
    const second = await expectJson(await claim(t, admin, event.id), 201);
    assert.equal(second.ticket.seat, 1, "the released seat is taken by another member");

    // From the start on, the form is gone and a post is refused with the reason.
    t.clock.advance(25 * HOUR);
    const live = await (await t.fetch(`/events/${event.id}`, call(admin))).text();
    assert.doesNotMatch(live, /data-testid="release-open"/);
    const late = await t.fetch(
      `/events/${event.id}`,
      form(admin, { ticketId: second.ticket.id }),
    );
    assert.equal(late.status, 409);
    assert.match(await late.text(), /only be refunded before the event starts/);
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] release form: paid tickets show the council's refund note and refuse a post", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin, {
      maxTickets: 5,
      price: { token: "WLD", amount: "1000" },
    });
    const refused = await t.fetch(`/events/${event.id}`, form(member, { ticketId: "t1" }));
    assert.equal(refused.status, 409);
    assert.match(await refused.text(), /refunded by the council/);
  } finally {
    await t.stop();
  }
});
