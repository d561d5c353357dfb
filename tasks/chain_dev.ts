/**
 * `deno task chain:dev`: starts a local anvil (chain id 480) on loopback, deploys the gate NFT and writes
 * its address to `data/chain.local.json` so the app can run locally against a real chain. Development
 * personas that hold the gate NFT get one minted.
 * Runs until interrupted (Ctrl-C), then stops anvil and removes the file.
 *
 *   deno task chain:dev [--mint 0xabc…,0xdef…]   # optionally mint a gate NFT to each address
 */
import { createPublicClient, createWalletClient, getAddress, http, isAddress } from "viem";
import { worldchain } from "viem/chains";
import { DEV_PERSONAS } from "../core/auth/dev_personas.ts";
import { startAnvil } from "./lib/anvil.ts";
import { deployContract, loadContractArtifact, waitForReceipt } from "./lib/deploy.ts";

const CHAIN_FILE = new URL("../data/chain.local.json", import.meta.url);

/** Contents of `data/chain.local.json`. */
export interface LocalChainFile {
  chainId: number;
  rpcUrl: string;
  gateContract: `0x${string}`;
  deployer: `0x${string}`;
  anvilPid: number;
  startedAt: string;
}

/** Reads `--mint a,b,c` from the command line. */
function addressesToMint(args: string[]): `0x${string}`[] {
  const index = args.indexOf("--mint");
  if (index === -1) return [];
  const list = (args[index + 1] ?? "").split(",").filter((item) => item.length > 0);
  for (const item of list) {
    if (!isAddress(item, { strict: false })) throw new Error(`--mint: not an address: ${item}`);
  }
  return list.map((item) => getAddress(item));
}

if (import.meta.main) {
  const personaHolders = DEV_PERSONAS.filter((persona) => persona.admittedVia === "gate_nft")
    .map((persona) => getAddress(persona.wallet));
  const mintTo = [...personaHolders, ...addressesToMint(Deno.args)];
  const anvil = await startAnvil({ chainId: worldchain.id });
  const transport = http(anvil.rpcUrl);
  const publicClient = createPublicClient({ chain: worldchain, transport, pollingInterval: 50 });
  const [deployer] = await createWalletClient({ chain: worldchain, transport }).getAddresses();
  const walletClient = createWalletClient({ chain: worldchain, transport, account: deployer });

  const gate = await loadContractArtifact("AurumGate");
  const gateContract = await deployContract(walletClient, publicClient, gate);
  for (const holder of mintTo) {
    const hash = await walletClient.writeContract({
      address: gateContract,
      abi: gate.abi,
      functionName: "mint",
      args: [holder],
    });
    await waitForReceipt(publicClient, hash);
  }

  const file: LocalChainFile = {
    chainId: anvil.chainId,
    rpcUrl: anvil.rpcUrl,
    gateContract,
    deployer,
    anvilPid: anvil.pid,
    startedAt: new Date().toISOString(),
  };
  await Deno.mkdir(new URL("./", CHAIN_FILE), { recursive: true });
  await Deno.writeTextFile(CHAIN_FILE, JSON.stringify(file, null, 2) + "\n");
  console.log(`anvil on ${anvil.rpcUrl} (chain ${anvil.chainId}); AurumGate at ${gateContract}`);
  if (mintTo.length > 0) console.log(`minted gate NFTs to ${mintTo.join(", ")}`);
  console.log("wrote data/chain.local.json — Ctrl-C to stop");

  const shutdown = async () => {
    await Deno.remove(CHAIN_FILE).catch(() => {});
    await anvil.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
}
