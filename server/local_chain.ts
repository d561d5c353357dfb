/** Development convenience: use the local anvil that `deno task chain:dev` started, if any. */
import { join } from "node:path";
import { z } from "zod";
import { walletAddressSchema } from "@/core/members.ts";
import { isProductionEnv } from "@/core/config.ts";

const LocalChainFile = z.object({
  chainId: z.number().int().positive(),
  rpcUrl: z.url(),
  gateContract: walletAddressSchema(),
  ticketContract: walletAddressSchema().optional(),
  ticketMinterKey: z.string().regex(/^0x[0-9a-fA-F]{64}$/).optional(),
  ticketFromBlock: z.string().regex(/^[0-9]+$/).optional(),
});

/** Where `deno task chain:dev` writes the local chain and the server reads it: `<DATA_DIR>/chain.local.json`. */
export function localChainFilePath(env: Record<string, string | undefined>): string {
  return join(env.DATA_DIR || "./data", "chain.local.json");
}

/**
 * When no chain is configured outside production, fills `CHAIN_*`/`GATE_CONTRACT` (and the
 * `TICKET_*` contract, minter key and start block) from
 * `<DATA_DIR>/chain.local.json`. Explicit variables always win; a malformed file is ignored.
 * Production (and Deno Deploy) reads no file. Synchronous, like {@link withLocalSecret}.
 */
export function withLocalChain(
  env: Record<string, string | undefined>,
): Record<string, string | undefined> {
  if (isProductionEnv(env) || env.CHAIN_RPC_URL) return env;
  const path = localChainFilePath(env);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch {
    return env;
  }
  let parsed: z.infer<typeof LocalChainFile>;
  try {
    parsed = LocalChainFile.parse(JSON.parse(text));
  } catch {
    return env;
  }
  return {
    ...env,
    CHAIN_RPC_URL: parsed.rpcUrl,
    CHAIN_ID: env.CHAIN_ID ?? String(parsed.chainId),
    GATE_CONTRACT: env.GATE_CONTRACT ?? parsed.gateContract,
    ...(parsed.ticketContract && parsed.ticketMinterKey && !env.TICKET_CONTRACT
      ? {
        TICKET_CONTRACT: parsed.ticketContract,
        TICKET_MINTER_PRIVATE_KEY: parsed.ticketMinterKey,
        TICKET_CONTRACT_FROM_BLOCK: parsed.ticketFromBlock ?? "0",
      }
      : {}),
  };
}
