/**
 * `deno task chain:dev`: starts a local anvil (chain id 480) on loopback, deploys the gate NFT and
 * TicketNFT (base URI `http://localhost:8000/api/tickets/metadata/`, the anvil deployer as minter) and
 * writes their addresses and the minter key to `<DATA_DIR>/chain.local.json` (default
 * `./data`, the file `server/local_chain.ts` reads) so the app can run locally
 * against a real chain. Development personas that hold the gate NFT get one minted.
 * Runs until interrupted (Ctrl-C), then stops anvil and removes the file.
 *
 *   deno task chain:dev [--mint 0xabc…,0xdef…]   # optionally mint a gate NFT to each address
 */
import { dirname } from "node:path";
import { createPublicClient, createWalletClient, getAddress, http, isAddress } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { worldchain } from "viem/chains";
import { ticketNftAbi } from "@/core/events/mod.ts";
import { DEV_PERSONAS } from "@/core/auth/mod.ts";
import { startAnvil } from "@/tasks/lib/anvil.ts";
import { deployContract, loadContractArtifact, waitForReceipt } from "@/tasks/lib/deploy.ts";
import { localChainFilePath } from "@/server/local_chain.ts";

/** Where the local app serves ticket metadata (TicketNFT's base URI). */
const TICKET_METADATA_BASE = "http://localhost:8000/api/tickets/metadata/";
/** Anvil's first default account (the well-known test mnemonic): a local-only key, never real funds. */
const ANVIL_DEPLOYER_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";

/** Contents of `<DATA_DIR>/chain.local.json`. */
export interface LocalChainFile {
  chainId: number;
  rpcUrl: string;
  gateContract: `0x${string}`;
  ticketContract: `0x${string}`;
  /** The deployer's key, granted TicketNFT's minter role (local anvil only). */
  ticketMinterKey: `0x${string}`;
  ticketFromBlock: string;
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
  const chainFile = localChainFilePath(Deno.env.toObject());
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

  if (privateKeyToAccount(ANVIL_DEPLOYER_KEY).address !== getAddress(deployer)) {
    throw new Error(`unexpected anvil deployer ${deployer}`);
  }
  const fromBlock = await publicClient.getBlockNumber();
  const tickets = await loadContractArtifact("TicketNFT");
  const ticketContract = await deployContract(walletClient, publicClient, tickets, [
    TICKET_METADATA_BASE,
  ]);
  await waitForReceipt(
    publicClient,
    await walletClient.writeContract({
      address: ticketContract,
      abi: ticketNftAbi,
      functionName: "setMinter",
      args: [deployer, true],
    }),
  );

  const file: LocalChainFile = {
    chainId: anvil.chainId,
    rpcUrl: anvil.rpcUrl,
    gateContract,
    ticketContract,
    ticketMinterKey: ANVIL_DEPLOYER_KEY,
    ticketFromBlock: String(fromBlock),
    deployer,
    anvilPid: anvil.pid,
    startedAt: new Date().toISOString(),
  };
  await Deno.mkdir(dirname(chainFile), { recursive: true, mode: 0o700 });
  await Deno.writeTextFile(chainFile, JSON.stringify(file, null, 2) + "\n", { mode: 0o600 });
  console.log(`anvil on ${anvil.rpcUrl} (chain ${anvil.chainId}); AurumGate at ${gateContract}`);
  console.log(`TicketNFT at ${ticketContract} (minter ${deployer}, base ${TICKET_METADATA_BASE})`);
  if (mintTo.length > 0) console.log(`minted gate NFTs to ${mintTo.join(", ")}`);
  console.log(`wrote ${chainFile} — Ctrl-C to stop`);

  const shutdown = async () => {
    await Deno.remove(chainFile).catch(() => {});
    await anvil.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", shutdown);
  Deno.addSignalListener("SIGTERM", shutdown);
}
