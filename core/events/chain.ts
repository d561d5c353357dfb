/**
 * The TicketNFT contract through viem, as the minting job needs it: read a token id's state, mint,
 * burn (retire), and find the transaction that minted an id. The server's minter key signs; sends
 * from one adapter are serialized so their nonces never collide (several processes sharing a key
 * may still collide: the job then retries, and the contract refuses a second mint of an id).
 */
import {
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  getAddress,
  type Hex,
  http,
  parseAbi,
  zeroAddress,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { z } from "zod";
import { ServiceUnavailableError } from "@/core/errors.ts";
import { walletAddressSchema } from "@/core/members.ts";

/** The TicketNFT functions, events and errors the server uses. */
export const ticketNftAbi = parseAbi([
  "function mint(address to, uint256 tokenId, uint256 eventId)",
  "function burn(uint256 tokenId)",
  "function tokenState(uint256 tokenId) view returns (address holder, bool retired, uint256 eventId)",
  "function tokenURI(uint256 tokenId) view returns (string)",
  "function ownerOf(uint256 tokenId) view returns (address)",
  "function balanceOf(address holder) view returns (uint256)",
  "function totalSupply() view returns (uint256)",
  "function setMinter(address minter, bool allowed)",
  "event Transfer(address indexed from, address indexed to, uint256 indexed tokenId)",
  "error TokenUnavailable(uint256 tokenId)",
  "error NotMinter()",
  "error UnknownToken(uint256 tokenId)",
]);

/** A token id's on-chain state. */
export interface TokenState {
  /** Current holder, or null (never minted, or burned). */
  holder: Address | null;
  /** True once burned or retired: the id can never be minted again. */
  retired: boolean;
}

/** What the ticket jobs need from the chain. Every method throws on RPC trouble. */
export interface TicketChain {
  tokenState(tokenId: bigint): Promise<TokenState>;
  /** Mints and waits for the receipt; returns the transaction hash. */
  mint(to: Address, tokenId: bigint, eventNumber: bigint): Promise<Hex>;
  /** Burns or retires the id and waits for the receipt; returns the transaction hash. */
  burn(tokenId: bigint): Promise<Hex>;
  /** The transaction that minted `tokenId` and to whom, from the Transfer logs; null if none. */
  findMint(tokenId: bigint): Promise<{ to: Address; txHash: Hex } | null>;
}

/** Configuration of {@link createViemTicketChain}. */
export interface ViemTicketChainOptions {
  rpcUrl: string;
  /** viem chain object; its id must be the node's (480 World Chain, 4801 Sepolia, local anvil 480). */
  chain: Chain;
  contract: string;
  /** The minter's private key (0x + 64 hex). */
  minterPrivateKey: string;
  /** First block to search for mint logs (the contract's deployment block); default 0. */
  fromBlock?: bigint;
  /** Receipt polling interval, default 1000 ms (tests: ~50). */
  pollingIntervalMs?: number;
  /** Give up waiting for a receipt after this long (the job retries), default 120 s. */
  receiptTimeoutMs?: number;
  /** Per-request RPC timeout, default 10 s. */
  rpcTimeoutMs?: number;
}

const privateKeySchema = z.string().regex(/^0x[0-9a-fA-F]{64}$/, "must be 0x + 64 hex digits");

/** Wraps any RPC failure as ServiceUnavailableError(`chain_unavailable`), keeping viem's short message. */
function unavailable(what: string, error: unknown): ServiceUnavailableError {
  const detail = error instanceof Error
    ? (error as { shortMessage?: string }).shortMessage ?? error.message
    : String(error);
  return new ServiceUnavailableError("chain_unavailable", `${what}: ${detail}`);
}

/** Creates the viem-backed {@link TicketChain}. */
export function createViemTicketChain(options: ViemTicketChainOptions): TicketChain {
  const account = privateKeyToAccount(privateKeySchema.parse(options.minterPrivateKey) as Hex);
  const address = getAddress(options.contract);
  const transport = http(options.rpcUrl, {
    retryCount: 0,
    timeout: options.rpcTimeoutMs ?? 10_000,
  });
  const publicClient = createPublicClient({
    chain: options.chain,
    transport,
    pollingInterval: options.pollingIntervalMs ?? 1_000,
  });
  const walletClient = createWalletClient({ chain: options.chain, transport, account });
  const pollMs = options.pollingIntervalMs ?? 1_000;
  const receiptTimeoutMs = options.receiptTimeoutMs ?? 120_000;
  let sending: Promise<unknown> = Promise.resolve();

  /** Runs `send` after every earlier send of this adapter has been handed to the node. */
  function serialized<T>(send: () => Promise<T>): Promise<T> {
    const run = sending.then(send, send);
    sending = run.catch(() => undefined);
    return run;
  }

  async function waitForSuccess(hash: Hex, what: string): Promise<Hex> {
    const deadline = Date.now() + receiptTimeoutMs;
    while (true) {
      let receipt: { status: "success" | "reverted" } | null = null;
      try {
        receipt = await publicClient.getTransactionReceipt({ hash });
      } catch (error) {
        const name = (error as { name?: string }).name;
        if (name !== "TransactionReceiptNotFoundError") throw unavailable(`${what} receipt`, error);
      }
      if (receipt) {
        if (receipt.status !== "success") {
          throw new ServiceUnavailableError(
            "chain_reverted",
            `${what} transaction ${hash} reverted`,
          );
        }
        return hash;
      }
      if (Date.now() > deadline) {
        throw new ServiceUnavailableError(
          "chain_receipt_timeout",
          `${what} ${hash} not mined in time`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async function write(
    functionName: "mint" | "burn",
    args: readonly bigint[] | readonly [Address, bigint, bigint],
  ) {
    let hash: Hex;
    try {
      hash = await serialized(() =>
        walletClient.writeContract(
          {
            address,
            abi: ticketNftAbi,
            functionName,
            args,
          } as Parameters<typeof walletClient.writeContract>[0],
        )
      );
    } catch (error) {
      throw unavailable(functionName, error);
    }
    return await waitForSuccess(hash, functionName);
  }

  return {
    async tokenState(tokenId) {
      try {
        const [holder, retired] = await publicClient.readContract({
          address,
          abi: ticketNftAbi,
          functionName: "tokenState",
          args: [tokenId],
        });
        return { holder: holder === zeroAddress ? null : getAddress(holder), retired };
      } catch (error) {
        throw unavailable("tokenState", error);
      }
    },
    mint: (to, tokenId, eventNumber) => write("mint", [getAddress(to), tokenId, eventNumber]),
    burn: (tokenId) => write("burn", [tokenId]),
    async findMint(tokenId) {
      try {
        const logs = await publicClient.getContractEvents({
          address,
          abi: ticketNftAbi,
          eventName: "Transfer",
          args: { from: zeroAddress, tokenId },
          fromBlock: options.fromBlock ?? 0n,
          toBlock: "latest",
        });
        const first = logs.find((log) => log.args.to && log.transactionHash);
        return first ? { to: getAddress(first.args.to!), txHash: first.transactionHash! } : null;
      } catch (error) {
        throw unavailable("mint logs", error);
      }
    },
  };
}

const ticketChainEnvSchema = z.object({
  TICKET_CONTRACT: walletAddressSchema("must be a 0x-prefixed 20-byte address"),
  TICKET_MINTER_PRIVATE_KEY: privateKeySchema,
  TICKET_CONTRACT_FROM_BLOCK: z.coerce.bigint().default(0n),
});

/**
 * Reads the ticket chain settings from the environment (`TICKET_CONTRACT`,
 * `TICKET_MINTER_PRIVATE_KEY`, optional `TICKET_CONTRACT_FROM_BLOCK`); null when the contract is
 * unset (tickets then stay `pending_mint`). Throws a RangeError naming a bad variable.
 */
export function ticketChainSettingsFromEnv(env: Record<string, string | undefined>) {
  if (!env.TICKET_CONTRACT) return null;
  const parsed = ticketChainEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) =>
      `${String(issue.path[0])}: ${issue.message}`
    );
    throw new RangeError(`Invalid ticket chain configuration — ${problems.join("; ")}`);
  }
  return {
    contract: parsed.data.TICKET_CONTRACT,
    minterPrivateKey: parsed.data.TICKET_MINTER_PRIVATE_KEY,
    fromBlock: parsed.data.TICKET_CONTRACT_FROM_BLOCK,
  };
}
