/** The ticket chain adapter and the payment portal client, built from the configuration. */
import { chainDefinition } from "@/core/chain.ts";
import type { AppConfig } from "@/core/config.ts";
import { ServiceUnavailableError } from "@/core/errors.ts";
import {
  createPaymentPortalClient,
  createViemTicketChain,
  type PaymentPortalClient,
  type TicketChain,
} from "@/core/events/mod.ts";

/** TicketNFT through viem and the minter key, or null when the chain or contract is not set. */
export function createTicketChain(config: AppConfig): TicketChain | null {
  const { contract, minterPrivateKey, fromBlock } = config.tickets;
  const rpcUrl = config.chain.rpcUrl;
  if (!contract || !minterPrivateKey || !rpcUrl) return null;
  const chain = chainDefinition(config.chain.id, rpcUrl);
  return createViemTicketChain({ rpcUrl, chain, contract, minterPrivateKey, fromBlock });
}

/** The developer portal client, or one that answers 503 `payments_not_configured`. */
export function createPaymentPortal(config: AppConfig): PaymentPortalClient {
  if (config.tickets.worldApiKey) {
    return createPaymentPortalClient({
      portalUrl: config.worldId.portalUrl,
      appId: config.worldId.appId,
      apiKey: config.tickets.worldApiKey,
    });
  }
  // Members read this message; the code tells an operator that WORLD_API_KEY is unset.
  const fail = () =>
    Promise.reject(
      new ServiceUnavailableError(
        "payments_not_configured",
        "Payments cannot be confirmed yet: they are not set up. Please try again later.",
      ),
    );
  return { getTransaction: fail, confirmPayment: fail };
}
