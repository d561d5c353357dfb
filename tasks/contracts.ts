/**
 * Compiles the Solidity sources in `contracts/` with solc-js and writes `contracts/build/<Name>.json`
 * (ABI + creation bytecode). Output is deterministic: same sources and compiler → same bytes.
 *
 *   deno task contracts            # compile and write
 *   deno task contracts --check    # fail if the committed output differs from a fresh compile
 */
import solc from "solc";
import { z } from "zod";

const CONTRACTS_DIR = new URL("../contracts/", import.meta.url);
const BUILD_DIR = new URL("../contracts/build/", import.meta.url);
const EVM_VERSION = "cancun";

const compilerSettings = {
  evmVersion: EVM_VERSION,
  optimizer: { enabled: true, runs: 200 },
  metadata: { bytecodeHash: "none" },
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
} as const;

const solcOutputSchema = z.object({
  errors: z.array(z.object({ severity: z.string(), formattedMessage: z.string() })).optional(),
  contracts: z.record(
    z.string(),
    z.record(
      z.string(),
      z.object({
        abi: z.array(z.unknown()),
        evm: z.object({ bytecode: z.object({ object: z.string() }) }),
      }),
    ),
  ).default({}),
});

/** One compiled contract as written to `contracts/build/<contractName>.json`. */
export interface CompiledContract {
  contractName: string;
  sourceFile: string;
  compiler: { version: string; evmVersion: string; optimizerRuns: number };
  abi: unknown[];
  bytecode: `0x${string}`;
}

/** Reads every `contracts/*.sol` file, sorted by name. */
async function readSources(): Promise<Record<string, { content: string }>> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(CONTRACTS_DIR)) {
    if (entry.isFile && entry.name.endsWith(".sol")) names.push(entry.name);
  }
  names.sort();
  const sources: Record<string, { content: string }> = {};
  for (const name of names) {
    sources[name] = { content: await Deno.readTextFile(new URL(name, CONTRACTS_DIR)) };
  }
  return sources;
}

/** Compiles all sources; returns file name → JSON text for each contract defined with bytecode. */
export async function compileContracts(): Promise<Map<string, string>> {
  const sources = await readSources();
  const input = { language: "Solidity", sources, settings: compilerSettings };
  const output = solcOutputSchema.parse(JSON.parse(solc.compile(JSON.stringify(input))));
  const failures = (output.errors ?? []).filter((entry) => entry.severity === "error");
  if (failures.length > 0) {
    throw new Error(failures.map((entry) => entry.formattedMessage).join("\n"));
  }
  const files = new Map<string, string>();
  for (const sourceFile of Object.keys(output.contracts).sort()) {
    const contracts = output.contracts[sourceFile];
    for (const contractName of Object.keys(contracts).sort()) {
      const bytecode = contracts[contractName].evm.bytecode.object;
      if (bytecode.length === 0) continue; // interfaces and abstract contracts
      const compiled: CompiledContract = {
        contractName,
        sourceFile,
        compiler: {
          version: solc.version(),
          evmVersion: EVM_VERSION,
          optimizerRuns: compilerSettings.optimizer.runs,
        },
        abi: contracts[contractName].abi,
        bytecode: `0x${bytecode}`,
      };
      files.set(`${contractName}.json`, JSON.stringify(compiled, null, 2) + "\n");
    }
  }
  return files;
}

/** Lists the JSON files currently in `contracts/build/`. */
async function listBuildFiles(): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(BUILD_DIR)) {
      if (entry.isFile && entry.name.endsWith(".json")) names.push(entry.name);
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return names.sort();
}

/** Returns the names of build files that are missing, stale or extra compared with `expected`. */
async function findDifferences(expected: Map<string, string>): Promise<string[]> {
  const differences: string[] = [];
  const existing = await listBuildFiles();
  for (const [name, text] of expected) {
    const current = existing.includes(name)
      ? await Deno.readTextFile(new URL(name, BUILD_DIR))
      : null;
    if (current !== text) differences.push(current === null ? `${name} (missing)` : name);
  }
  for (const name of existing) {
    if (!expected.has(name)) differences.push(`${name} (not produced by the sources)`);
  }
  return differences;
}

/** Writes `files` into `contracts/build/` and removes JSON files the sources no longer produce. */
async function writeBuild(files: Map<string, string>): Promise<void> {
  await Deno.mkdir(BUILD_DIR, { recursive: true });
  for (const name of await listBuildFiles()) {
    if (!files.has(name)) await Deno.remove(new URL(name, BUILD_DIR));
  }
  for (const [name, text] of files) await Deno.writeTextFile(new URL(name, BUILD_DIR), text);
}

if (import.meta.main) {
  const files = await compileContracts();
  if (Deno.args.includes("--check")) {
    const differences = await findDifferences(files);
    if (differences.length > 0) {
      console.error(
        `contracts/build is out of date: ${differences.join(", ")}. Run: deno task contracts`,
      );
      Deno.exit(1);
    }
    console.log(`contracts/build matches the sources (${files.size} contracts).`);
  } else {
    await writeBuild(files);
    console.log(`wrote ${[...files.keys()].join(", ")} to contracts/build/`);
  }
}
