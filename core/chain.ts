/** The viem chain definition shared by the app's chain client and the ticket chain. */
import { type Chain, defineChain } from "viem";

/** The viem definition of chain `id` (World Chain, World Chain Sepolia, or a local one) at `rpcUrl`. */
export function chainDefinition(id: number, rpcUrl: string): Chain {
  return defineChain({
    id,
    name: id === 480 ? "World Chain" : id === 4801 ? "World Chain Sepolia" : "Local",
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
}
