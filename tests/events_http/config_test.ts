/** Ticket configuration: env validation, the derived check-in key, and chain:dev's local file. */
import assert from "node:assert/strict";
import { ConfigError, deriveSecret, loadConfig } from "@/core/config.ts";
import { withLocalChain } from "@/server/local_chain.ts";
import { createTicketChain } from "@/server/ticket_backends.ts";

const SECRET = "s".repeat(40);
const KEY = "0x" + "ab".repeat(32);
const CONTRACT = "0x" + "12".repeat(20);

Deno.test("[events config] ticket settings, admins and the derived check-in key", () => {
  const config = loadConfig({
    APP_SECRET: SECRET,
    TICKET_CONTRACT: CONTRACT,
    TICKET_MINTER_PRIVATE_KEY: KEY,
    TICKET_CONTRACT_FROM_BLOCK: "42",
    PAYMENT_RECIPIENT: "0x7A5a3E2f1B2c4d6E8f0A1b3C5d7E9f1a2B3c4D5e",
    ADMIN_WALLETS: " 0xAbCdEf0123456789abcdef0123456789ABCDEF01 ,0x" + "1".repeat(40),
  });
  assert.equal(config.tickets.contract, CONTRACT);
  assert.equal(config.tickets.fromBlock, 42n);
  assert.equal(config.tickets.paymentRecipient, "0x7a5a3e2f1b2c4d6e8f0a1b3c5d7e9f1a2b3c4d5e");
  assert.deepEqual(config.adminWallets, [
    "0xabcdef0123456789abcdef0123456789abcdef01",
    "0x" + "1".repeat(40),
  ]);
  assert.equal(config.tickets.checkinSecret, deriveSecret(SECRET, "ticket-checkin"));
  assert.notEqual(config.tickets.checkinSecret, deriveSecret(SECRET, "object-urls"));
  // No RPC URL: no ticket chain (jobs then retry and dead-letter).
  assert.equal(createTicketChain(config), null);
  assert.deepEqual(loadConfig({}).adminWallets, []);
});

Deno.test("[events config] invalid ticket settings name the variable", () => {
  assert.throws(
    () => loadConfig({ TICKET_CONTRACT: CONTRACT }),
    (e: Error) => e instanceof ConfigError && /TICKET_MINTER_PRIVATE_KEY/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ ADMIN_WALLETS: "0x12,alice" }),
    (e: Error) => e instanceof ConfigError && /ADMIN_WALLETS/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ PAYMENT_RECIPIENT: "bob" }),
    (e: Error) => e instanceof ConfigError && /PAYMENT_RECIPIENT/.test(e.message),
  );
  assert.throws(
    () => loadConfig({ WORLD_API_KEY: "short" }),
    (e: Error) => e instanceof ConfigError && /WORLD_API_KEY/.test(e.message),
  );
});

Deno.test("[events config] chain:dev's local file maps to the TICKET_* variables", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aurum-local-chain-" });
  try {
    await Deno.writeTextFile(
      `${dir}/chain.local.json`,
      JSON.stringify({
        chainId: 480,
        rpcUrl: "http://127.0.0.1:8545",
        gateContract: "0x" + "34".repeat(20),
        ticketContract: CONTRACT,
        ticketMinterKey: KEY,
        ticketFromBlock: "7",
      }),
    );
    const env = withLocalChain({ DATA_DIR: dir });
    assert.equal(env.TICKET_CONTRACT, CONTRACT);
    assert.equal(env.TICKET_MINTER_PRIVATE_KEY, KEY);
    assert.equal(env.TICKET_CONTRACT_FROM_BLOCK, "7");
    const config = loadConfig(env);
    assert.notEqual(createTicketChain(config), null);
    // Explicit variables win.
    const other = "0x" + "56".repeat(20);
    const explicit = withLocalChain({ DATA_DIR: dir, TICKET_CONTRACT: other });
    assert.equal(explicit.TICKET_CONTRACT, other);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
