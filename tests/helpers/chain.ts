/** A real local chain for tests: anvil on loopback (chain 480), viem clients, and contract deployers. */
import {
  type Account,
  type Address,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  parseEther,
  type PrivateKeyAccount,
  type PublicClient,
} from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { worldchain } from "viem/chains";
import { type AnvilProcess, startAnvil } from "@/tasks/lib/anvil.ts";
import {
  type ContractArtifact,
  deployContract,
  loadContractArtifact,
  waitForReceipt,
} from "@/tasks/lib/deploy.ts";

/** A running test chain; call {@link TestChain.stop} in `finally`. */
export interface TestChain {
  anvil: AnvilProcess;
  publicClient: PublicClient<ReturnType<typeof http>, typeof worldchain>;
  /** Anvil's first unlocked account: deploys and mints. */
  deployer: Address;
  /** A fresh local account with 10 ETH. */
  fundedAccount(): Promise<PrivateKeyAccount>;
  /** Deploys AurumGate; returns its address. */
  deployGate(): Promise<Address>;
  /** Mints one gate NFT to `holder`; returns the token id. */
  mintGate(gate: Address, holder: Address): Promise<bigint>;
  /** Transfers `tokenId` from `from` (a funded local account) to `to`. */
  transferGate(gate: Address, from: Account, to: Address, tokenId: bigint): Promise<void>;
  /** Deploys a TestSafeWallet owned by `owner`; returns the wallet's address. */
  deploySafeWallet(owner: Address): Promise<Address>;
  stop(): Promise<void>;
}

let artifacts: Promise<{ gate: ContractArtifact; safe: ContractArtifact }> | undefined;

/** Loads the compiled contracts once per test process. */
function loadArtifacts() {
  artifacts ??= Promise.all([
    loadContractArtifact("AurumGate"),
    loadContractArtifact("TestSafeWallet"),
  ]).then(([gate, safe]) => ({ gate, safe }));
  return artifacts;
}

/** Starts anvil with chain id 480 and returns clients bound to it. */
export async function startTestChain(): Promise<TestChain> {
  const anvil = await startAnvil({ chainId: worldchain.id });
  const transport = http(anvil.rpcUrl, { retryCount: 0 });
  const publicClient = createPublicClient({ chain: worldchain, transport, pollingInterval: 50 });
  const testClient = createTestClient({ chain: worldchain, transport, mode: "anvil" });
  const [deployer] = await createWalletClient({ chain: worldchain, transport }).getAddresses();
  const deployerClient = createWalletClient({ chain: worldchain, transport, account: deployer });
  const { gate, safe } = await loadArtifacts();

  const waitFor = async (hash: `0x${string}`) => {
    const receipt = await waitForReceipt(publicClient, hash);
    if (receipt.status !== "success") throw new Error(`transaction ${hash} reverted`);
    return receipt;
  };

  return {
    anvil,
    publicClient,
    deployer,
    async fundedAccount() {
      const account = privateKeyToAccount(generatePrivateKey());
      await testClient.setBalance({ address: account.address, value: parseEther("10") });
      return account;
    },
    deployGate: () => deployContract(deployerClient, publicClient, gate),
    async mintGate(gateAddress, holder) {
      const before = await publicClient.readContract({
        address: gateAddress,
        abi: gate.abi,
        functionName: "totalSupply",
      }) as bigint;
      await waitFor(
        await deployerClient.writeContract({
          address: gateAddress,
          abi: gate.abi,
          functionName: "mint",
          args: [holder],
        }),
      );
      return before + 1n;
    },
    async transferGate(gateAddress, from, to, tokenId) {
      const holderClient = createWalletClient({ chain: worldchain, transport, account: from });
      await waitFor(
        await holderClient.writeContract({
          address: gateAddress,
          abi: gate.abi,
          functionName: "transferFrom",
          args: [from.address, to, tokenId],
        }),
      );
    },
    async deploySafeWallet(owner) {
      return getAddress(await deployContract(deployerClient, publicClient, safe, [owner]));
    },
    stop: () => anvil.stop(),
  };
}
