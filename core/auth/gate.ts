/**
 * The gate NFT check: `balanceOf(wallet)` on the configured ERC-721 via viem, cached with a TTL so a
 * transferred NFT stops granting access once the cached answer goes stale. The contract address comes
 * from configuration only, never from a request.
 */
import { type Address, getAddress, parseAbi } from "viem";
import { z } from "zod";
import type { Cache } from "@/core/cache/types.ts";
import type { Clock } from "@/core/clock.ts";
import { ServiceUnavailableError } from "@/core/errors.ts";
import { normalizeWallet } from "@/core/members.ts";

const erc721BalanceAbi = parseAbi(["function balanceOf(address owner) view returns (uint256)"]);

/** Default time a gate answer is trusted before the chain is asked again. */
export const DEFAULT_GATE_TTL_SECONDS = 5 * 60;

/** The viem public-client capability the gate needs. */
export interface GateChainReader {
  readContract(args: {
    address: Address;
    abi: typeof erc721BalanceAbi;
    functionName: "balanceOf";
    args: readonly [Address];
  }): Promise<bigint>;
}

/** Result of a gate check. */
export interface GateStatus {
  holdsGateNft: boolean;
  /** Epoch milliseconds of the on-chain read this answer comes from. */
  checkedAt: number;
  /** True when answered from the cache. */
  cached: boolean;
}

/** Configuration of {@link createGateChecker}. */
export interface GateCheckerOptions {
  chain: GateChainReader;
  /** The configured gate ERC-721. */
  contractAddress: string;
  /** Chain id, part of the cache key so switching chains never reuses answers. */
  chainId: number;
  cache: Cache;
  clock: Clock;
  ttlSeconds?: number;
}

/** Checks gate NFT ownership with caching. */
export interface GateChecker {
  /** Returns whether `wallet` holds the gate NFT; `fresh: true` bypasses the cache. */
  check(wallet: string, options?: { fresh?: boolean }): Promise<GateStatus>;
  /** Forgets the cached answer for `wallet`. */
  invalidate(wallet: string): Promise<void>;
}

const cachedGateSchema = z.object({ holds: z.boolean(), checkedAt: z.number().int() });

/** Creates a gate checker bound to one contract on one chain. */
export function createGateChecker(options: GateCheckerOptions): GateChecker {
  const contract = getAddress(options.contractAddress);
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_GATE_TTL_SECONDS;
  const cacheKey = (wallet: string) =>
    `gate:v1:${options.chainId}:${contract.toLowerCase()}:${wallet}`;

  /** Reads a cached answer that is still within the TTL by our clock (the cache's own TTL may lag). */
  async function readCached(wallet: string): Promise<GateStatus | null> {
    const raw = await options.cache.get(cacheKey(wallet));
    if (raw === null) return null;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return null;
    }
    const parsed = cachedGateSchema.safeParse(json);
    if (!parsed.success) return null;
    if (options.clock.now() - parsed.data.checkedAt >= ttlSeconds * 1000) return null;
    return { holdsGateNft: parsed.data.holds, checkedAt: parsed.data.checkedAt, cached: true };
  }

  async function readChain(wallet: string): Promise<GateStatus> {
    let balance: bigint;
    try {
      balance = await options.chain.readContract({
        address: contract,
        abi: erc721BalanceAbi,
        functionName: "balanceOf",
        args: [getAddress(wallet)],
      });
    } catch {
      throw new ServiceUnavailableError(
        "gate_chain_unavailable",
        "Could not read the gate NFT from the chain.",
      );
    }
    const status = { holdsGateNft: balance > 0n, checkedAt: options.clock.now(), cached: false };
    await options.cache.set(
      cacheKey(wallet),
      JSON.stringify({ holds: status.holdsGateNft, checkedAt: status.checkedAt }),
      ttlSeconds,
    );
    return status;
  }

  return {
    async check(walletInput, checkOptions = {}) {
      const wallet = normalizeWallet(walletInput);
      if (!checkOptions.fresh) {
        const cached = await readCached(wallet);
        if (cached) return cached;
      }
      return await readChain(wallet);
    },
    async invalidate(walletInput) {
      await options.cache.delete(cacheKey(normalizeWallet(walletInput)));
    },
  };
}
