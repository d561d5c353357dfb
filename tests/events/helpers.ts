/** Fixtures for the events tests: KV, object store, events, and a TicketNFT on a real anvil. */
import { type Address, createTestClient, createWalletClient, type Hex, http } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { worldchain } from "viem/chains";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import { createEvent, type CreateEventInput, type EventView } from "@/core/events/events.ts";
import { createFsObjectStore, type ObjectStore } from "@/core/storage/mod.ts";
import { createViemTicketChain, type TicketChain, ticketNftAbi } from "@/core/events/chain.ts";
import { readTicket, type Ticket } from "@/core/events/ticket_records.ts";
import { startTicketWorker, type TicketWorkerDeps } from "@/core/events/minting.ts";
import { type AnvilProcess, startAnvil } from "@/tasks/lib/anvil.ts";
import { deployContract, loadContractArtifact, waitForReceipt } from "@/tasks/lib/deploy.ts";
import { startTestChain, type TestChain } from "@/tests/helpers/chain.ts";

/** 2030-01-01T00:00:00Z: tests start here on a manual clock. */
export const T0 = Date.UTC(2030, 0, 1);
export const HOUR = 3600_000;
export const METADATA_BASE = "https://aurum.test/api/tickets/metadata/";
export const CHECKIN_SECRET = "test-check-in-secret-0123456789abcdef";

/** A random member wallet (lowercase). */
export function randomWallet(): string {
  return privateKeyToAccount(generatePrivateKey()).address.toLowerCase();
}

/** Creates an event starting in a day on `clock`, with `overrides`. */
export async function makeEvent(
  kv: Deno.Kv,
  clock: ManualClock,
  overrides: Partial<CreateEventInput> = {},
): Promise<EventView> {
  return await createEvent(kv, clock, {
    name: "Midnight Salon",
    description: "Members only.",
    imageUrl: "https://aurum.test/images/salon.jpg",
    startsAt: clock.now() + 24 * HOUR,
    endsAt: clock.now() + 27 * HOUR,
    maxTickets: 10,
    ...overrides,
  });
}

/** A filesystem object store in a temporary directory. */
export async function tempObjectStore(): Promise<
  { objects: ObjectStore; cleanup(): Promise<void> }
> {
  const root = await Deno.makeTempDir({ prefix: "aurum-events-" });
  const objects = createFsObjectStore({ root, signingKey: "k".repeat(40) });
  return {
    objects,
    async cleanup() {
      await objects.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

/** A TicketNFT deployed on anvil with a fresh minter, and the adapter the worker uses. */
export interface TicketTestChain {
  chain: TestChain;
  contract: Address;
  ticketChain: TicketChain;
  rpcUrl: string;
  /** Reads a view function of the contract. */
  read(functionName: "tokenURI" | "ownerOf", tokenId: bigint): Promise<string>;
  balanceOf(holder: string): Promise<bigint>;
  totalSupply(): Promise<bigint>;
  /** Number of Transfer(0 → *) logs for `tokenId`. */
  mintCount(tokenId: bigint): Promise<number>;
  /** Snapshots the chain, stops anvil (the port goes dark). */
  stopNode(): Promise<void>;
  /** Starts anvil again on the same port with the snapshot. */
  restartNode(): Promise<void>;
  stop(): Promise<void>;
}

/** Starts anvil, deploys TicketNFT and grants a fresh minter key. */
export async function startTicketChain(): Promise<TicketTestChain> {
  const chain = await startTestChain();
  let anvil: AnvilProcess = chain.anvil;
  let snapshot: Hex | null = null;
  try {
    const transport = http(anvil.rpcUrl, { retryCount: 0 });
    const deployerClient = createWalletClient({
      chain: worldchain,
      transport,
      account: chain.deployer,
    });
    const testClient = createTestClient({ chain: worldchain, transport, mode: "anvil" });
    const artifact = await loadContractArtifact("TicketNFT");
    const contract = await deployContract(deployerClient, chain.publicClient, artifact, [
      METADATA_BASE,
    ]);
    const minterKey = generatePrivateKey();
    const minter = privateKeyToAccount(minterKey);
    await testClient.setBalance({ address: minter.address, value: 10n ** 19n });
    const hash = await deployerClient.writeContract({
      address: contract,
      abi: ticketNftAbi,
      functionName: "setMinter",
      args: [minter.address, true],
    });
    await waitForReceipt(chain.publicClient, hash);
    const ticketChain = createViemTicketChain({
      rpcUrl: anvil.rpcUrl,
      chain: worldchain,
      contract,
      minterPrivateKey: minterKey,
      pollingIntervalMs: 50,
      receiptTimeoutMs: 5_000,
      rpcTimeoutMs: 2_000,
    });
    const read = (functionName: "tokenURI" | "ownerOf", tokenId: bigint) =>
      chain.publicClient.readContract({
        address: contract,
        abi: ticketNftAbi,
        functionName,
        args: [tokenId],
      });
    return {
      chain,
      contract,
      ticketChain,
      rpcUrl: anvil.rpcUrl,
      read,
      balanceOf: (holder) =>
        chain.publicClient.readContract({
          address: contract,
          abi: ticketNftAbi,
          functionName: "balanceOf",
          args: [holder as Address],
        }),
      totalSupply: () =>
        chain.publicClient.readContract({
          address: contract,
          abi: ticketNftAbi,
          functionName: "totalSupply",
        }),
      async mintCount(tokenId) {
        const logs = await chain.publicClient.getContractEvents({
          address: contract,
          abi: ticketNftAbi,
          eventName: "Transfer",
          args: { from: "0x0000000000000000000000000000000000000000", tokenId },
          fromBlock: 0n,
        });
        return logs.length;
      },
      async stopNode() {
        snapshot = await createTestClient({
          chain: worldchain,
          transport: http(anvil.rpcUrl),
          mode: "anvil",
        })
          .dumpState();
        await anvil.stop();
      },
      async restartNode() {
        anvil = await startAnvil({ chainId: worldchain.id, port: anvil.port });
        if (snapshot) {
          await createTestClient({
            chain: worldchain,
            transport: http(anvil.rpcUrl),
            mode: "anvil",
          })
            .loadState({ state: snapshot });
        }
      },
      async stop() {
        await anvil.stop();
        await chain.stop();
      },
    };
  } catch (error) {
    await chain.stop();
    throw error;
  }
}

/** A running worker over `kv`; `stop` closes the KV (ending listenQueue) and waits for it. */
export function runWorker(kv: Deno.Kv, deps: Omit<TicketWorkerDeps, "kv">) {
  const done = startTicketWorker(kv, deps);
  return {
    async stop() {
      kv.close();
      await done;
    },
  };
}

/** Polls until every ticket in `ids` satisfies `predicate` (or throws after `timeoutMs`). */
export async function waitForTickets(
  kv: Deno.Kv,
  ids: string[],
  predicate: (ticket: Ticket) => boolean,
  timeoutMs = 20_000,
): Promise<Ticket[]> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    const tickets = await Promise.all(ids.map(async (id) => (await readTicket(kv, id)).ticket!));
    if (tickets.every(predicate)) return tickets;
    if (Date.now() > deadline) {
      const pending = tickets.filter((ticket) => !predicate(ticket)).slice(0, 3);
      throw new Error(`tickets not settled in ${timeoutMs} ms: ${JSON.stringify(pending)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export { createManualClock };
