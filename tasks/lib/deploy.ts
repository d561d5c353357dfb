/** Deploys the compiled contracts in `contracts/build/` with viem. */
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  getAddress,
  type Hex,
  type Transport,
  type WalletClient,
} from "viem";
import { z } from "zod";

const compiledContractSchema = z.object({
  contractName: z.string(),
  abi: z.array(z.unknown()),
  bytecode: z.string().regex(/^0x[0-9a-f]+$/),
});

/** ABI and creation bytecode of one compiled contract. */
export interface ContractArtifact {
  contractName: string;
  abi: Abi;
  bytecode: Hex;
}

/** Loads `contracts/build/<name>.json`. */
export async function loadContractArtifact(name: string): Promise<ContractArtifact> {
  const url = new URL(`../../contracts/build/${name}.json`, import.meta.url);
  const parsed = compiledContractSchema.parse(JSON.parse(await Deno.readTextFile(url)));
  return {
    contractName: parsed.contractName,
    abi: parsed.abi as Abi,
    bytecode: parsed.bytecode as Hex,
  };
}

/** The one public-client capability deploying needs (kept narrow so any chain's client fits). */
export interface ReceiptReader {
  getTransactionReceipt(args: { hash: Hex }): Promise<{
    status: "success" | "reverted";
    contractAddress?: Address | null | undefined;
  }>;
}

/**
 * Polls for a transaction's receipt. Unlike viem's waitForTransactionReceipt this leaves no timer
 * behind once it returns (tests run with the ops sanitizer).
 */
export async function waitForReceipt(client: ReceiptReader, hash: Hex, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      return await client.getTransactionReceipt({ hash });
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Deploys `artifact` with constructor `args` and returns the address from the receipt. */
export async function deployContract(
  walletClient: WalletClient<Transport, Chain, Account>,
  publicClient: ReceiptReader,
  artifact: ContractArtifact,
  args: readonly unknown[] = [],
): Promise<Address> {
  const hash = await walletClient.deployContract({
    abi: artifact.abi,
    bytecode: artifact.bytecode,
    args,
  });
  const receipt = await waitForReceipt(publicClient, hash);
  if (receipt.status !== "success" || !receipt.contractAddress) {
    throw new Error(`deploying ${artifact.contractName} failed (tx ${hash})`);
  }
  return getAddress(receipt.contractAddress);
}
