/** Builds the chain client, gate checker and health probes from the configuration. */
import { createPublicClient, http } from "viem";
import { chainDefinition } from "@/core/chain.ts";
import type { AppConfig } from "@/core/config.ts";
import type { Cache } from "@/core/cache/types.ts";
import type { FallbackCache } from "@/core/cache/fallback.ts";
import type { Clock } from "@/core/clock.ts";
import { createGateChecker, type GateChecker } from "@/core/auth/mod.ts";
import { ServiceUnavailableError } from "@/core/errors.ts";
import type { ObjectStore } from "@/core/storage/types.ts";
import type { VectorStore } from "@/core/discovery/mod.ts";
import type { ChainClient, HealthCheck } from "./deps.ts";

/** A viem public client for the configured chain, or one that reports "no chain configured". */
export function createChainClient(chain: AppConfig["chain"]): ChainClient {
  if (!chain.rpcUrl) return unconfiguredChain();
  return createPublicClient({
    chain: chainDefinition(chain.id, chain.rpcUrl),
    transport: http(chain.rpcUrl, { timeout: 5_000, retryCount: 1 }),
  }) as unknown as ChainClient;
}

function unconfiguredChain(): ChainClient {
  const fail = () =>
    Promise.reject(
      new ServiceUnavailableError(
        "chain_not_configured",
        "No chain is configured (CHAIN_RPC_URL); run `deno task chain:dev` for a local one.",
      ),
    );
  return { getChainId: fail, readContract: fail, verifySiweMessage: fail };
}

/** The gate checker, or one that answers "gate not configured" when no contract is set. */
export function createConfiguredGate(
  chain: AppConfig["chain"],
  client: ChainClient,
  cache: Cache,
  clock: Clock,
): GateChecker {
  if (!chain.gateContract) {
    const unconfigured = () =>
      Promise.reject(
        new ServiceUnavailableError(
          "gate_not_configured",
          "The gate NFT contract is not configured (GATE_CONTRACT).",
        ),
      );
    return { check: unconfigured, invalidate: () => Promise.resolve() };
  }
  return createGateChecker({
    chain: client,
    contractAddress: chain.gateContract,
    chainId: chain.id,
    cache,
    clock,
    ttlSeconds: chain.gateTtlSeconds,
  });
}

/**
 * Probes: KV (required); the cache, object store, chain and vector store (optional: the app
 * degrades). The vector store's probe is named after its adapter (`vectors:embedded`, `vectors:qdrant`).
 */
export function defaultHealthChecks(
  kv: Deno.Kv,
  cache: Cache,
  chain: ChainClient,
  objects: ObjectStore,
  config: AppConfig,
  vectors?: VectorStore,
): Record<string, HealthCheck> {
  const checks: Record<string, HealthCheck> = {
    kv: async () => {
      await kv.get(["health_probe"]);
    },
  };
  if (config.redisUrl) {
    checks.cache = optional(async () => {
      const probe = (cache as Partial<FallbackCache>).probePrimary;
      if (!probe) return void await cache.get("health_probe");
      // Asks Redis itself, so a recovery shows (and ends the fallback) without other traffic.
      try {
        await probe();
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new Error(`Redis unreachable (${reason}); serving from the in-process fallback`);
      }
    });
  }
  // Photos and ticket metadata need it; everything else keeps working without it.
  checks.objects = optional(() => objects.ping());
  checks.chain = optional(async () => {
    const id = await chain.getChainId();
    if (id !== config.chain.id) throw new Error(`chain id ${id}, expected ${config.chain.id}`);
  });
  if (vectors) {
    // Only "similar style" needs it.
    checks[`vectors:${vectors.kind}`] = optional(async () => {
      if (!(await vectors.healthy())) throw new Error(`the ${vectors.kind} vector store is down`);
    });
  }
  return checks;
}

function optional(check: () => Promise<void>): HealthCheck {
  return Object.assign(check, { optional: true });
}
