/**
 * Contract test of the payment portal client (`GET /api/v2/minikit/transaction/{id}?app_id&type=payment`)
 * against recorded responses served on loopback, and the paid ticket flow built on it. The server
 * answers only requests that match a recording exactly (path, query, Bearer key).
 */
import assert from "node:assert/strict";
import { z } from "zod";
import { getEvent } from "@/core/events/events.ts";
import { DomainError } from "@/core/errors.ts";
import {
  confirmTicketPayment,
  createPaymentPortalClient,
  initiatePayment,
  paymentKeys,
  type PaymentReference,
  readPaymentReference,
} from "@/core/events/payments.ts";
import { claimTicket, listTickets } from "@/core/events/tickets.ts";
import { createManualClock, makeEvent, randomWallet, T0 } from "./helpers.ts";

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
    response: z.object({
      status: z.number().int(),
      delayMs: z.number().int().optional(),
      body: z.unknown(),
    }),
  })),
});

type Recording = z.infer<typeof recordingSchema>;

/** Serves the recording on 127.0.0.1; unmatched requests are collected and answered 418. */
async function withPortal(
  body: (
    portal: { url: string; recording: Recording; txId(name: string): string; served: string[] },
  ) => Promise<void>,
) {
  const file = new URL("./fixtures/minikit_transactions.json", import.meta.url);
  const recording = recordingSchema.parse(JSON.parse(await Deno.readTextFile(file)));
  const served: string[] = [];
  const unmatched: string[] = [];
  const closing = new AbortController();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (request) => {
    const url = new URL(request.url);
    const pair = recording.pairs.find((p) =>
      request.method === "GET" &&
      url.pathname === `/api/v2/minikit/transaction/${p.transaction_id}` &&
      url.searchParams.get("app_id") === recording.app_id &&
      url.searchParams.get("type") === "payment" &&
      request.headers.get("authorization") === `Bearer ${recording.api_key}`
    );
    if (!pair) {
      unmatched.push(`${request.method} ${url.pathname}${url.search}`);
      return Response.json({ code: "unrecorded_request" }, { status: 418 });
    }
    served.push(pair.name);
    if (pair.response.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pair.response.delayMs);
        closing.signal.addEventListener("abort", () => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return Response.json(pair.response.body, { status: pair.response.status });
  });
  try {
    await body({
      url: `http://127.0.0.1:${server.addr.port}`,
      recording,
      served,
      txId: (name) => recording.pairs.find((p) => p.name === name)!.transaction_id,
    });
    assert.deepEqual(unmatched, [], "every request matches a recording");
  } finally {
    closing.abort();
    await server.shutdown();
  }
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return "ok";
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return `${error.constructor.name}:${error.code}`;
  }
}

Deno.test("[events] payment portal: mined and matching confirms; mismatches and pending are refused distinctly", async () => {
  await withPortal(async ({ url, recording, txId, served }) => {
    const portal = createPaymentPortalClient({
      portalUrl: url,
      appId: recording.app_id,
      apiKey: recording.api_key,
      timeoutMs: 500,
    });
    const expected = {
      reference: recording.reference,
      to: recording.recipient,
      token: recording.token,
      amount: recording.amount,
    };
    const confirmed = await portal.confirmPayment(txId("mined_matching"), expected);
    assert.equal(
      confirmed.transactionHash,
      "0x9b3c6d1e2f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c",
    );
    assert.equal(confirmed.amount, recording.amount);

    const codes = Object.fromEntries(
      await Promise.all(
        ["wrong_amount", "wrong_recipient", "pending", "failed", "unknown", "portal_outage", "slow"]
          .map(
            async (
              name,
            ) => [name, await outcome(() => portal.confirmPayment(txId(name), expected))],
          ),
      ),
    );
    assert.deepEqual(codes, {
      wrong_amount: "UnprocessableError:payment_wrong_amount",
      wrong_recipient: "UnprocessableError:payment_wrong_recipient",
      pending: "ConflictError:payment_pending",
      failed: "UnprocessableError:payment_failed",
      unknown: "NotFoundError:payment_not_found",
      portal_outage: "ServiceUnavailableError:payment_portal_unavailable",
      slow: "ServiceUnavailableError:payment_portal_timeout",
    });
    assert.equal(
      await outcome(() =>
        portal.confirmPayment(txId("mined_matching"), { ...expected, reference: "f".repeat(32) })
      ),
      "UnprocessableError:payment_reference_mismatch",
    );
    assert.equal(
      await outcome(() =>
        portal.confirmPayment(txId("mined_matching"), { ...expected, token: "USDCE" })
      ),
      "UnprocessableError:payment_wrong_token",
    );
    assert.equal(
      await outcome(() => portal.confirmPayment("../admin", expected)),
      "BadRequestError:invalid_transaction_id",
    );
    assert.equal(served.filter((name) => name === "mined_matching").length, 3);
  });
});

Deno.test("[events] paid flow: a mined matching payment buys exactly one ticket; bad payments buy none", async () => {
  await withPortal(async ({ url, recording, txId }) => {
    const kv = await Deno.openKv(":memory:");
    try {
      const clock = createManualClock(T0);
      const portal = createPaymentPortalClient({
        portalUrl: url,
        appId: recording.app_id,
        apiKey: recording.api_key,
      });
      const event = await makeEvent(kv, clock, {
        price: { token: recording.token, amount: recording.amount },
      });
      const wallet = randomWallet();

      // The server issues references; the recorded one is stored as if issued to this member.
      const issued = await initiatePayment(kv, clock, {
        eventId: event.id,
        wallet,
        recipient: recording.recipient,
      });
      assert.deepEqual(issued.tokens, [{ symbol: "WLD", token_amount: recording.amount }]);
      assert.equal(issued.to, recording.recipient);
      assert.equal((await readPaymentReference(kv, issued.reference))?.wallet, wallet);
      const record: PaymentReference = {
        reference: recording.reference,
        wallet,
        eventId: event.id,
        to: recording.recipient.toLowerCase(),
        token: recording.token,
        amount: recording.amount,
        createdAt: clock.now(),
        ticketId: null,
      };
      await kv.set(paymentKeys.reference(recording.reference), record);

      assert.equal(
        await outcome(() =>
          claimTicket(kv, clock, { eventId: event.id, wallet, idempotencyKey: "no-payment-1" })
        ),
        "BadRequestError:payment_required",
      );
      for (
        const [name, code] of [
          ["wrong_amount", "UnprocessableError:payment_wrong_amount"],
          ["wrong_recipient", "UnprocessableError:payment_wrong_recipient"],
          ["pending", "ConflictError:payment_pending"],
        ]
      ) {
        assert.equal(
          await outcome(() =>
            confirmTicketPayment(kv, portal, {
              eventId: event.id,
              wallet,
              reference: recording.reference,
              transactionId: txId(name),
            })
          ),
          code,
        );
      }
      assert.equal(
        await outcome(() =>
          confirmTicketPayment(kv, portal, {
            eventId: event.id,
            wallet: randomWallet(),
            reference: recording.reference,
            transactionId: txId("mined_matching"),
          })
        ),
        "ForbiddenError:payment_reference_not_yours",
      );
      assert.equal((await getEvent(kv, event.id)).currentTickets, 0);

      const payment = await confirmTicketPayment(kv, portal, {
        eventId: event.id,
        wallet,
        reference: recording.reference,
        transactionId: txId("mined_matching"),
      });
      const { ticket } = await claimTicket(kv, clock, {
        eventId: event.id,
        wallet,
        idempotencyKey: "paid-claim-1",
        payment,
      });
      assert.equal(ticket.status, "pending_mint");
      assert.equal(ticket.payment?.transactionId, txId("mined_matching"));
      assert.equal((await readPaymentReference(kv, recording.reference))?.ticketId, ticket.id);

      // The same payment cannot buy a second ticket, even for another idempotency key.
      assert.equal(
        await outcome(() =>
          confirmTicketPayment(kv, portal, {
            eventId: event.id,
            wallet,
            reference: recording.reference,
            transactionId: txId("mined_matching"),
          })
        ),
        "ConflictError:payment_already_used",
      );
      assert.equal(
        await outcome(() =>
          claimTicket(kv, clock, {
            eventId: event.id,
            wallet,
            idempotencyKey: "paid-claim-2",
            payment,
          })
        ),
        "ConflictError:payment_already_used",
      );
      assert.equal((await listTickets(kv, { viewer: { wallet } })).values.length, 1);
      assert.equal((await getEvent(kv, event.id)).currentTickets, 1);
    } finally {
      kv.close();
    }
  });
});
