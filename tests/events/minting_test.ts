/** The mint/burn queue worker against a real anvil running TicketNFT. */
import assert from "node:assert/strict";
import { getAddress } from "viem";
import { getEvent } from "@/core/events/events.ts";
import { readTicket } from "@/core/events/ticket_records.ts";
import { processMintJob, ticketMetadataKey, type TicketWorkerDeps } from "@/core/events/minting.ts";
import { claimTicket, refundTicket } from "@/core/events/tickets.ts";
import {
  createManualClock,
  makeEvent,
  randomWallet,
  runWorker,
  startTicketChain,
  T0,
  tempObjectStore,
  type TicketTestChain,
  waitForTickets,
} from "./helpers.ts";

const FAST_RETRY = { baseMs: 100, maxMs: 400, maxAttempts: 200 };
const FAST_QUEUE = [100, 200, 400, 800, 1600];

/** Runs `body` with anvil + TicketNFT, an object store and a :memory: KV, then tears all down. */
async function withSetup(
  body: (setup: {
    kv: Deno.Kv;
    chain: TicketTestChain;
    deps: Omit<TicketWorkerDeps, "kv">;
    clock: ReturnType<typeof createManualClock>;
  }) => Promise<void>,
) {
  const chain = await startTicketChain();
  const store = await tempObjectStore();
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(T0);
  try {
    await body({
      kv,
      chain,
      clock,
      deps: {
        chain: chain.ticketChain,
        objects: store.objects,
        clock,
        retry: FAST_RETRY,
        queueBackoffMs: FAST_QUEUE,
      },
    });
  } finally {
    try {
      kv.close();
    } catch {
      // closed by the worker
    }
    await store.cleanup();
    await chain.stop();
  }
}

let counter = 0;
const key = () => `mint-claim-${++counter}`;

Deno.test("[events] a claimed ticket is minted to the member with its token URI and metadata", async () => {
  await withSetup(async ({ kv, chain, clock, deps }) => {
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    }, {
      queueBackoffMs: FAST_QUEUE,
    });
    const worker = runWorker(kv, deps);
    try {
      const [minted] = await waitForTickets(kv, [ticket.id], (t) => t.status === "minted");
      assert.match(minted.mint.txHash!, /^0x[0-9a-f]{64}$/);
      const tokenId = BigInt(ticket.tokenId);
      assert.equal(await chain.read("ownerOf", tokenId), getAddress(wallet));
      const uri = await chain.read("tokenURI", tokenId);
      assert.equal(uri, `https://aurum.test/api/tickets/metadata/${ticket.tokenId}`);
      const receipt = await chain.chain.publicClient.getTransactionReceipt({
        hash: minted.mint.txHash as `0x${string}`,
      });
      assert.equal(receipt.status, "success");

      const object = await deps.objects.get(ticketMetadataKey(ticket.tokenId));
      assert.ok(object);
      assert.equal(object.contentType, "application/json");
      const metadata = JSON.parse(await new Response(object.body).text());
      assert.equal(metadata.name, `Midnight Salon — Seat ${ticket.seat}`);
      assert.equal(metadata.seat, ticket.seat);
      assert.equal(metadata.event.id, event.id);
      assert.equal(metadata.image, "https://aurum.test/images/salon.jpg");
    } finally {
      await worker.stop();
    }
  });
});

Deno.test("[events] a retry after a crash that had minted records the mint and never mints twice", async () => {
  await withSetup(async ({ kv, chain, clock, deps }) => {
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const { ticket } = await claimTicket(kv, clock, {
      eventId: event.id,
      wallet,
      idempotencyKey: key(),
    });
    // The "crashed" attempt: the token is minted on chain, but the ticket never heard of it.
    const sentHash = await chain.ticketChain.mint(
      getAddress(wallet),
      BigInt(ticket.tokenId),
      BigInt(event.number),
    );
    const full = { ...deps, kv };
    assert.equal(
      await processMintJob(full, { type: "ticket_mint", ticketId: ticket.id, attempt: 0 }),
      "recovered",
    );
    const after = (await readTicket(kv, ticket.id)).ticket!;
    assert.equal(after.status, "minted");
    assert.equal(after.mint.txHash, sentHash.toLowerCase());
    // Duplicate deliveries are no-ops.
    assert.equal(
      await processMintJob(full, { type: "ticket_mint", ticketId: ticket.id, attempt: 0 }),
      "already_done",
    );
    assert.equal(await chain.mintCount(BigInt(ticket.tokenId)), 1);
    assert.equal(await chain.balanceOf(wallet), 1n);
  });
});

Deno.test("[events] 500 concurrent claims for 100 seats → 100 tickets and, once drained, 100 tokens", async () => {
  await withSetup(async ({ kv, chain, clock, deps }) => {
    const event = await makeEvent(kv, clock, { maxTickets: 100 });
    const worker = runWorker(kv, deps);
    try {
      const results = await Promise.allSettled(
        Array.from(
          { length: 500 },
          () =>
            claimTicket(kv, clock, {
              eventId: event.id,
              wallet: randomWallet(),
              idempotencyKey: key(),
            }, {
              queueBackoffMs: FAST_QUEUE,
            }),
        ),
      );
      const tickets = results.flatMap((r) => r.status === "fulfilled" ? [r.value.ticket] : []);
      assert.equal(tickets.length, 100);
      assert.equal((await getEvent(kv, event.id)).currentTickets, 100);
      await waitForTickets(kv, tickets.map((t) => t.id), (t) => t.status === "minted", 45_000);
      assert.equal(await chain.totalSupply(), 100n);
      for (const ticket of tickets.slice(0, 10)) {
        assert.equal(
          await chain.read("ownerOf", BigInt(ticket.tokenId)),
          getAddress(ticket.wallet),
        );
      }
    } finally {
      await worker.stop();
    }
  });
});

Deno.test("[events] anvil down mid-flow: tickets stay pending_mint, retry with backoff, one token each", async () => {
  await withSetup(async ({ kv, chain, clock, deps }) => {
    const event = await makeEvent(kv, clock, { maxTickets: 20 });
    const claim = async () =>
      (await claimTicket(kv, clock, {
        eventId: event.id,
        wallet: randomWallet(),
        idempotencyKey: key(),
      }, {
        queueBackoffMs: FAST_QUEUE,
      })).ticket;
    const worker = runWorker(kv, deps);
    try {
      const early = await Promise.all(Array.from({ length: 4 }, claim));
      await waitForTickets(kv, early.map((t) => t.id), (t) => t.status === "minted");

      await chain.stopNode();
      const late = await Promise.all(Array.from({ length: 4 }, claim));
      const stuck = await waitForTickets(
        kv,
        late.map((t) => t.id),
        (t) => t.mint.attempts >= 3,
        15_000,
      );
      for (const ticket of stuck) {
        assert.equal(ticket.status, "pending_mint");
        assert.match(ticket.mint.lastError ?? "", /unavailable|fetch|connect|HTTP/i);
        assert.ok(ticket.mint.nextAttemptAt !== null);
      }

      await chain.restartNode();
      const all = await waitForTickets(
        kv,
        [...early, ...late].map((t) => t.id),
        (t) => t.status === "minted",
      );
      for (const ticket of all) {
        assert.equal(
          await chain.mintCount(BigInt(ticket.tokenId)),
          1,
          `one token for ticket ${ticket.id}`,
        );
        assert.equal(
          await chain.read("ownerOf", BigInt(ticket.tokenId)),
          getAddress(ticket.wallet),
        );
      }
      assert.equal(await chain.totalSupply(), 8n);
    } finally {
      await worker.stop();
    }
  });
});

Deno.test("[events] a refund burns the minted token and retires its id", async () => {
  await withSetup(async ({ kv, chain, clock, deps }) => {
    const event = await makeEvent(kv, clock);
    const wallet = randomWallet();
    const worker = runWorker(kv, deps);
    try {
      const { ticket } = await claimTicket(kv, clock, {
        eventId: event.id,
        wallet,
        idempotencyKey: key(),
      }, {
        queueBackoffMs: FAST_QUEUE,
      });
      await waitForTickets(kv, [ticket.id], (t) => t.status === "minted");
      await refundTicket(kv, clock, { ticketId: ticket.id, viewer: { wallet } }, {
        queueBackoffMs: FAST_QUEUE,
      });
      const [burned] = await waitForTickets(kv, [ticket.id], (t) => t.refund?.burn === "burned");
      assert.match(burned.refund!.burnTxHash!, /^0x[0-9a-f]{64}$/);
      assert.equal(await chain.balanceOf(wallet), 0n);
      assert.deepEqual(await chain.ticketChain.tokenState(BigInt(ticket.tokenId)), {
        holder: null,
        retired: true,
      });
      assert.equal(await deps.objects.head(ticketMetadataKey(ticket.tokenId)), null);
    } finally {
      await worker.stop();
    }
  });
});
