import assert from "node:assert/strict";
import { compileContracts } from "@/tasks/contracts.ts";

Deno.test("[auth] committed contracts/build matches a fresh solc-js compile", async () => {
  const compiled = await compileContracts();
  assert.deepEqual([...compiled.keys()].sort(), [
    "AurumGate.json",
    "TestSafeWallet.json",
    "TicketNFT.json",
  ]);
  for (const [name, text] of compiled) {
    const committed = await Deno.readTextFile(
      new URL(`../../contracts/build/${name}`, import.meta.url),
    );
    assert.equal(committed, text, `${name} is stale: run deno task contracts`);
  }
});
