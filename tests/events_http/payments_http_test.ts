/**
 * The paid ticket flow over HTTP: `POST /api/events/:id/payments` issues the MiniKit `pay` input,
 * then `POST /api/events/:id/tickets` with the pay result is confirmed against the developer portal
 * (recorded responses served on loopback) before a ticket is issued.
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { paymentKeys, readPaymentReference } from "@/core/events/payments.ts";
import { call, claim, createEventHttp, eventsApp, expectJson, signInAs } from "./helpers.ts";

const recordingSchema = z.object({
  app_id: z.string(),
  api_key: z.string(),
  recipient: z.string(),
  reference: z.string(),
  token: z.enum(["WLD", "USDCE"]),
  amount: z.string(),
  pairs: z.array(z.object({
    name: z.string(),
    transaction_id: z.string(),
    response: z.object({ status: z.number().int(), body: z.unknown() }),
  })),
});

/** Serves the recorded portal answers on 127.0.0.1 (exact path, query and Bearer key only). */
async function recordedPortal() {
  const file = new URL("../events/fixtures/minikit_transactions.json", import.meta.url);
  const recording = recordingSchema.parse(JSON.parse(await Deno.readTextFile(file)));
  const unmatched: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, (request) => {
    const url = new URL(request.url);
    const pair = recording.pairs.find((p) =>
      url.pathname === `/api/v2/minikit/transaction/${p.transaction_id}` &&
      url.searchParams.get("app_id") === recording.app_id &&
      url.searchParams.get("type") === "payment" &&
      request.headers.get("authorization") === `Bearer ${recording.api_key}`
    );
    if (!pair) {
      unmatched.push(url.pathname + url.search);
      return Response.json({ code: "unrecorded_request" }, { status: 418 });
    }
    return Response.json(pair.response.body, { status: pair.response.status });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}`,
    recording,
    unmatched,
    txId: (name: string) => recording.pairs.find((p) => p.name === name)!.transaction_id,
    close: () => server.shutdown(),
  };
}

Deno.test("[events http] paid ticket: mined + matching → ticket; wrong amount, wrong recipient, pending → no ticket", async () => {
  const portal = await recordedPortal();
  const { recording } = portal;
  const t = await eventsApp({
    WORLD_APP_ID: recording.app_id,
    WORLD_ID_PORTAL_URL: portal.url,
    WORLD_API_KEY: recording.api_key,
    PAYMENT_RECIPIENT: recording.recipient,
  });
  try {
    const admin = await signInAs(t, "keyholder");
    const member = await signInAs(t, "invitee");
    const event = await createEventHttp(t, admin, {
      maxTickets: 3,
      price: { token: recording.token, amount: recording.amount },
    });

    // The pay input for MiniKit: our recipient, the event's price, a fresh reference.
    const { pay } = await expectJson(
      await t.fetch(`/api/events/${event.id}/payments`, call(member, "POST")),
      201,
    );
    assert.equal(pay.to.toLowerCase(), recording.recipient.toLowerCase());
    assert.deepEqual(pay.tokens, [{ symbol: recording.token, token_amount: recording.amount }]);
    assert.match(pay.reference, /^[0-9a-f]{32}$/);
    // The recordings carry a fixed reference: store it as issued to this member for this event.
    const issued = (await readPaymentReference(t.kv, pay.reference))!;
    await t.kv.set(paymentKeys.reference(recording.reference), {
      ...issued,
      reference: recording.reference,
    });

    // A paid event without a payment.
    assert.equal(
      (await expectJson(await claim(t, member, event.id), 400)).error.code,
      "payment_required",
    );

    const refusals: [string, number, string][] = [
      ["wrong_amount", 422, "payment_wrong_amount"],
      ["wrong_recipient", 422, "payment_wrong_recipient"],
      ["pending", 409, "payment_pending"],
      ["failed", 422, "payment_failed"],
      ["unknown", 404, "payment_not_found"],
      ["portal_outage", 503, "payment_portal_unavailable"],
    ];
    for (const [name, status, code] of refusals) {
      const res = await claim(t, member, event.id, {
        transaction_id: portal.txId(name),
        reference: recording.reference,
      });
      const body = await expectJson(res, status);
      assert.equal(body.error.code, code, name);
      assert.ok(body.error.message.length > 10, `a clear message for ${name}`);
    }
    const none = await expectJson(
      await t.fetch(`/api/events/${event.id}/tickets`, call(member)),
      200,
    );
    assert.deepEqual(none.tickets, [], "no ticket after a refused payment");

    // Another member cannot use this member's reference.
    const stolen = await claim(t, admin, event.id, {
      transaction_id: portal.txId("mined_matching"),
      reference: recording.reference,
    });
    assert.equal((await expectJson(stolen, 403)).error.code, "payment_reference_not_yours");

    const paid = await expectJson(
      await claim(t, member, event.id, {
        transaction_id: portal.txId("mined_matching"),
        reference: recording.reference,
      }),
      201,
    );
    assert.equal(paid.ticket.status, "pending_mint");
    assert.equal(paid.ticket.payment.amount, recording.amount);
    assert.equal(paid.ticket.payment.transactionId, portal.txId("mined_matching"));

    // The payment bought one ticket: using it again is refused.
    const reused = await claim(t, member, event.id, {
      transaction_id: portal.txId("mined_matching"),
      reference: recording.reference,
    });
    assert.equal(reused.status, 409);
    await reused.body?.cancel();
    assert.deepEqual(portal.unmatched, []);
  } finally {
    await t.stop();
    await portal.close();
  }
});

Deno.test("[events http] payments without configuration → 503 with a clear code and plain words", async () => {
  const t = await eventsApp();
  try {
    const admin = await signInAs(t, "keyholder");
    const event = await createEventHttp(t, admin, { price: { token: "WLD", amount: "1000" } });
    const res = await t.fetch(`/api/events/${event.id}/payments`, call(admin, "POST"));
    const { error } = await expectJson(res, 503);
    assert.equal(error.code, "payments_not_configured");
    // A member reads the message: plain words, no configuration variable.
    assert.doesNotMatch(error.message, /[A-Z]+_[A-Z_]+/);
    assert.match(error.message, /try again later/);
  } finally {
    await t.stop();
  }
});
