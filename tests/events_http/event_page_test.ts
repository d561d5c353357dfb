/**
 * The event page and API as members read them: a venue the host keeps for ticket holders (holder,
 * non-holder, admin, released ticket, public venue, an event stored before venues existed), the
 * description, times as `<time>` in the reader's zone (the `tz` cookie) with UTC on hover, and the
 * plain state of a claimed ticket whose collectible cannot be added (no chain; a chain that errors).
 */
import assert from "node:assert/strict";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { chainDefinition } from "@/core/chain.ts";
import { createViemTicketChain, eventKeys } from "@/core/events/mod.ts";
import { VENUE_FOR_HOLDERS_TEXT } from "@/components/glossary.ts";
import { TICKET_DELAYED_NOTE } from "@/components/events/ticket_words.ts";
import { newMember } from "@/tests/profiles_http/_helpers.ts";
import {
  call,
  claim,
  createEventHttp,
  eventsApp,
  expectJson,
  HOUR,
  signInAs,
  withCookie,
} from "./helpers.ts";

const VENUE = "The Old Library, 3 Quay Street";

/** The page's HTML as the member with session `cookie` (and an optional `tz` cookie) reads it. */
async function page(
  t: Awaited<ReturnType<typeof eventsApp>>,
  path: string,
  cookie: string,
  zone?: string,
) {
  const init = withCookie(cookie);
  const headers = new Headers(init.headers);
  if (zone !== undefined) headers.set("cookie", `${headers.get("cookie")}; tz=${zone}`);
  const res = await t.fetch(path, { headers });
  assert.equal(res.status, 200, path);
  assert.match(res.headers.get("content-type") ?? "", /text\/html/);
  return await res.text();
}

/** The `<time>` elements of a page: datetime, title, zone and text. */
function times(html: string) {
  return [...html.matchAll(/<time\b([^>]*)>([^<]*)<\/time>/g)].map(([, attributes, text]) => ({
    datetime: attributes.match(/datetime="([^"]*)"/)?.[1],
    title: attributes.match(/title="([^"]*)"/)?.[1],
    zone: attributes.match(/data-zone="([^"]*)"/)?.[1],
    text,
  }));
}

Deno.test("[events http] a venue kept for ticket holders: the holder and admins read it, others read that it is kept", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const holder = await signInAs(t, "invitee");
    const other = (await newMember(t)).cookie;
    const kept = await createEventHttp(t, admin, {
      venue: VENUE,
      venueHoldersOnly: true,
      description: "Candles and cards.\nDress: black.",
      maxTickets: 5,
    });
    const open = await createEventHttp(t, admin, { name: "Open Salon", venue: "The Terrace" });
    assert.equal(kept.venue, VENUE, "the admin's answer carries the venue");
    assert.equal((await claim(t, holder, kept.id)).status, 201);

    const holderPage = await page(t, `/events/${kept.id}`, holder);
    assert.match(holderPage, /data-testid="event-venue"[^>]*>The Old Library, 3 Quay Street</);
    assert.ok(!holderPage.includes(VENUE_FOR_HOLDERS_TEXT));
    assert.match(
      holderPage,
      /data-testid="event-description"[^>]*>Candles and cards.\nDress: black.</,
    );

    const otherPage = await page(t, `/events/${kept.id}`, other);
    assert.ok(!otherPage.includes("Old Library"), "not even in island props");
    assert.match(
      otherPage,
      /data-testid="event-venue"[^>]*data-hidden="true"[^>]*>Venue revealed to ticket holders</,
    );
    assert.match(otherPage, /Candles and cards./, "the description is for everyone");
    assert.ok((await page(t, `/events/${kept.id}`, admin)).includes(VENUE));
    assert.ok(!(await page(t, "/events", other)).includes("Old Library"));
    assert.ok((await page(t, "/events", holder)).includes(VENUE));
    assert.ok((await page(t, `/events/${open.id}`, other)).includes("The Terrace"));

    // The API agrees, for one event and for the listing.
    const one = await expectJson(await t.fetch(`/api/events/${kept.id}`, call(other)), 200);
    assert.equal(one.event.venue, "");
    assert.equal(one.event.venueHidden, true);
    assert.equal(one.event.description, "Candles and cards.\nDress: black.");
    const listed = await t.fetch("/api/events", call(other));
    assert.ok(!(await listed.text()).includes("Old Library"));
    const mine = await expectJson(await t.fetch(`/api/events/${kept.id}`, call(holder)), 200);
    assert.equal(mine.event.venue, VENUE);
    assert.equal(mine.event.venueHidden, false);

    // A released ticket no longer reveals it.
    const { tickets } = await expectJson(
      await t.fetch(`/api/events/${kept.id}/tickets`, call(holder)),
      200,
    );
    const released = await t.fetch(`/events/${kept.id}`, {
      ...withCookie(holder, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ ticketId: tickets[0].id }).toString(),
      }),
      redirect: "manual",
    });
    assert.equal(released.status, 303);
    const after = await page(t, `/events/${kept.id}`, holder);
    assert.ok(!after.includes("Old Library"));
    assert.ok(after.includes(VENUE_FOR_HOLDERS_TEXT));
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] venue input is validated, and an event stored before venues existed still renders", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const res = await t.fetch(
      "/api/events",
      call(admin, "POST", {
        name: "Salon",
        startsAt: t.clock.now() + 24 * HOUR,
        endsAt: t.clock.now() + 26 * HOUR,
        maxTickets: 3,
        venue: "x".repeat(301),
        venueHoldersOnly: "yes",
      }),
    );
    const body = await expectJson(res, 400);
    assert.match(body.error.message, /venue must be at most 300 characters/);
    assert.match(body.error.message, /venueHoldersOnly must be true or false/);
    assert.equal((await t.kv.get(eventKeys.sequence)).value, null, "nothing was created");

    const event = await createEventHttp(t, admin, { description: "" });
    const stored = (await t.kv.get<Record<string, unknown>>(eventKeys.event(event.id))).value!;
    const { venue: _venue, venueHoldersOnly: _holdersOnly, ...old } = stored;
    await t.kv.set(eventKeys.event(event.id), old);
    const html = await page(t, `/events/${event.id}`, await signInAs(t, "invitee"));
    assert.ok(!html.includes('data-testid="event-venue"'), "no venue, no venue line");
    assert.ok(!html.includes('data-testid="event-description"'));
    const updated = await expectJson(
      await t.fetch(`/api/events/${event.id}`, call(admin, "PUT", { venue: "  The Crypt  " })),
      200,
    );
    assert.equal(updated.event.venue, "The Crypt");
    assert.equal(updated.event.venueHoldersOnly, false);
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] times: UTC until the browser tells its zone (tz cookie), then that zone, with UTC on hover", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    // Starts 2030-01-02T00:00Z, ends 03:00Z.
    const event = await createEventHttp(t, admin);
    const start = {
      datetime: "2030-01-02T00:00:00.000Z",
      title: "Wed 2 Jan 2030 · 00:00 UTC",
    };

    const plain = times(await page(t, `/events/${event.id}`, member));
    assert.deepEqual(plain[0], { ...start, zone: "UTC", text: "Wed 2 Jan 2030 · 00:00 UTC" });
    assert.equal(plain[1].text, "Wed 2 Jan 2030 · 03:00 UTC");

    const tokyo = times(await page(t, `/events/${event.id}`, member, "Asia/Tokyo"));
    assert.deepEqual(tokyo[0], {
      ...start,
      zone: "Asia/Tokyo",
      text: "Wed 2 Jan 2030 · 09:00 GMT+9",
    });
    const paris = times(await page(t, "/events", member, "Europe/Paris"));
    assert.deepEqual(paris[0], {
      ...start,
      zone: "Europe/Paris",
      text: "Wed 2 Jan 2030 · 01:00 CET",
    });
    const newYork = times(await page(t, "/events", member, "America%2FNew_York"));
    assert.equal(newYork[0].text, "Tue 1 Jan 2030 · 19:00 GMT-5", "an encoded cookie too");

    for (const bad of ["Mars/Olympus", "%3Cscript%3E", "%E0%A4%A", "x".repeat(80)]) {
      const shown = times(await page(t, `/events/${event.id}`, member, bad));
      assert.equal(shown[0].zone, "UTC", bad);
      assert.equal(shown[0].text, "Wed 2 Jan 2030 · 00:00 UTC", bad);
    }

    // The script that tells the zone is on the page and served (minified, from the build).
    const html = await page(t, `/events/${event.id}`, member);
    const src = html.match(/<script src="(\/_fresh\/js\/[0-9a-f]+\/local_times\.js)" defer/)?.[1];
    assert.ok(src, "the page loads local_times.js");
    const script = await t.fetch(src);
    assert.equal(script.status, 200);
    assert.match(script.headers.get("content-type") ?? "", /javascript/);
    const code = await script.text();
    assert.match(code, /tz=/);
    assert.doesNotMatch(code, /\n\s+/, "minified");
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] no chain configured: a claimed ticket is confirmed and valid for check-in, never 'in progress'", async () => {
  const t = await eventsApp(); // no CHAIN_RPC_URL / TICKET_CONTRACT: the app has no ticket chain
  try {
    assert.equal(t.app.deps.tickets, null);
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin);
    const claimed = await expectJson(await claim(t, member, event.id), 201);
    assert.equal(claimed.ticket.status, "pending_mint");
    assert.equal(claimed.ticket.collectible, "delayed");
    const polled = await expectJson(
      await t.fetch(`/api/tickets/${claimed.ticket.id}`, call(member)),
      200,
    );
    assert.equal(polled.ticket.collectible, "delayed");

    const html = await page(t, `/events/${event.id}`, member);
    assert.match(html, /data-collectible="delayed"/);
    assert.match(html, /Your ticket is confirmed and valid for check-in/);
    assert.ok(html.includes(TICKET_DELAYED_NOTE.replaceAll("'", "&#39;").slice(0, 60)));
    assert.ok(!/Preparing|adding it to your wallet/.test(html));
    assert.match(html, /data-testid="checkin-qr"/);
    assert.match(
      html,
      /<button type="submit" class="btn btn--ghost btn--block" data-testid="qr-refresh">/,
    );

    // Valid for check-in: the holder's code passes the admin's scanner.
    const { token } = await expectJson(
      await t.fetch(`/api/tickets/${claimed.ticket.id}/checkin-token`, call(member)),
      200,
    );
    const scanned = await expectJson(
      await t.fetch("/api/checkin", call(admin, "POST", { token, eventId: event.id })),
      200,
    );
    assert.notEqual(scanned.ticket.checkedInAt, null);
  } finally {
    await t.stop();
  }
});

Deno.test("[events http] a chain that errors: the failed attempt turns the ticket from adding to delayed", async () => {
  // A loopback port nobody listens on: every RPC call is refused at once.
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const rpcUrl = `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`;
  listener.close();
  const tickets = createViemTicketChain({
    rpcUrl,
    chain: chainDefinition(480, rpcUrl),
    contract: privateKeyToAccount(generatePrivateKey()).address,
    minterPrivateKey: generatePrivateKey(),
    rpcTimeoutMs: 2_000,
  });
  const t = await eventsApp({}, { tickets });
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin);
    const claimed = await expectJson(await claim(t, member, event.id), 201);
    assert.equal(claimed.ticket.collectible, "adding", "a chain is configured: first, it is added");
    t.startJobs();
    const deadline = Date.now() + 15_000;
    let ticket = claimed.ticket;
    while (ticket.collectible === "adding" && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ticket = (await expectJson(
        await t.fetch(`/api/tickets/${claimed.ticket.id}`, call(member)),
        200,
      )).ticket;
    }
    assert.equal(ticket.collectible, "delayed", JSON.stringify(ticket));
    assert.equal(ticket.status, "pending_mint", "the job keeps retrying in the background");
    assert.notEqual(ticket.mint.lastError, null);
    const html = await page(t, `/events/${event.id}`, member);
    assert.match(html, /data-collectible="delayed"/);
    assert.match(html, /when the network is back/);
  } finally {
    await t.stop();
  }
});
