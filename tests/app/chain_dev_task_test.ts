import assert from "node:assert/strict";
import { join } from "node:path";
import { withLocalChain } from "@/server/local_chain.ts";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Waits until `path` exists (or the task exits, or `timeoutMs` passes). */
async function waitForFile(path: string, child: Deno.ChildProcess, timeoutMs: number) {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && !exited) {
    try {
      return await Deno.stat(path);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return null;
}

Deno.test("[tasks] chain:dev writes chain.local.json under DATA_DIR, where the server reads it", async () => {
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-chain-dev-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/chain_dev.ts"],
    cwd: ROOT,
    env: { DATA_DIR: dataDir, NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
  const file = join(dataDir, "chain.local.json");
  try {
    const info = await waitForFile(file, child, 60_000);
    assert.ok(info, `chain:dev wrote no ${file}`);
    if (Deno.build.os !== "windows") assert.equal((info.mode! & 0o777).toString(8), "600");
    const written = JSON.parse(await Deno.readTextFile(file));
    const env = withLocalChain({ DATA_DIR: dataDir });
    assert.equal(env.CHAIN_RPC_URL, written.rpcUrl);
    assert.equal(env.GATE_CONTRACT, written.gateContract);
    assert.equal(env.TICKET_CONTRACT, written.ticketContract);
  } finally {
    try {
      child.kill("SIGTERM");
    } catch {
      // already exited
    }
    await child.status;
  }
  await assert.rejects(Deno.stat(file), Deno.errors.NotFound, "the file goes away with anvil");
  await Deno.remove(dataDir, { recursive: true });
});
