import assert from "node:assert/strict";
import { type Address, hashMessage, type Hex, type LocalAccount } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createSiweMessage } from "viem/siwe";
import { signInWithWallet } from "@/core/auth/sign_in.ts";
import { issueNonce } from "@/core/auth/nonces.ts";
import { getSession } from "@/core/auth/sessions.ts";
import type { SiweExpectations } from "@/core/auth/siwe.ts";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import { BadRequestError, DomainError, UnauthorizedError } from "@/core/errors.ts";
import { startTestChain, type TestChain } from "@/tests/helpers/chain.ts";

const expected: SiweExpectations = { origin: "https://aurum.example", chainId: 480 };

interface Harness {
  kv: Deno.Kv;
  clock: ManualClock;
  chain: TestChain;
}

/** Runs `body` with a fresh in-memory KV, a manual clock and a fresh anvil; tears all down. */
async function withHarness(body: (harness: Harness) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const chain = await startTestChain();
  try {
    await body({ kv, clock: createManualClock(Date.now()), chain });
  } finally {
    kv.close();
    await chain.stop();
  }
}

type MessageOverrides = Partial<Parameters<typeof createSiweMessage>[0]>;

/** Builds the EIP-4361 message World App would build for `address` on our origin. */
function buildMessage(
  clock: ManualClock,
  address: Address,
  nonce: string,
  overrides: MessageOverrides = {},
) {
  return createSiweMessage({
    scheme: "https",
    domain: "aurum.example",
    address,
    statement: "Enter the Aurum Circle",
    uri: "https://aurum.example/enter",
    version: "1",
    chainId: 480,
    nonce,
    issuedAt: new Date(clock.now()),
    ...overrides,
  });
}

/** A walletAuth success payload signed by an externally owned account. */
async function eoaPayload(
  harness: Harness,
  account: LocalAccount,
  overrides: MessageOverrides = {},
) {
  const { nonce } = await issueNonce(harness.kv, harness.clock);
  const message = buildMessage(harness.clock, account.address, nonce, overrides);
  const signature = await account.signMessage({ message });
  return { status: "success", message, signature, address: account.address, version: 2 };
}

/** Signs in and returns the domain error code, failing the test if sign-in succeeds. */
async function failureCode(harness: Harness, payload: unknown): Promise<string> {
  try {
    await signInWithWallet({ ...harness, chain: harness.chain.publicClient, expected }, payload);
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected a domain error, got ${error}`);
    return `${error.constructor.name}:${error.code}`;
  }
  assert.fail("sign-in unexpectedly succeeded");
}

/** Number of stored sessions. */
async function sessionCount(kv: Deno.Kv): Promise<number> {
  let count = 0;
  for await (const _ of kv.list({ prefix: ["sessions"] })) count++;
  return count;
}

const signIn = (harness: Harness, payload: unknown) =>
  signInWithWallet({ ...harness, chain: harness.chain.publicClient, expected }, payload);

Deno.test("[auth] SIWE: an EOA signature signs in and opens a session", async () => {
  await withHarness(async (harness) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const result = await signIn(harness, await eoaPayload(harness, account));
    assert.equal(result.member.wallet, account.address.toLowerCase());
    assert.equal(result.member.membership.admitted, false);
    const session = await getSession(harness.kv, harness.clock, result.session.id);
    assert.equal(session?.wallet, account.address.toLowerCase());
    assert.equal(session?.method, "siwe");
  });
});

Deno.test("[auth] SIWE: an EIP-1271 contract wallet on anvil signs in", async () => {
  await withHarness(async (harness) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await harness.chain.deploySafeWallet(owner.address);
    const { nonce } = await issueNonce(harness.kv, harness.clock);
    const message = buildMessage(harness.clock, wallet, nonce);
    const signature = await owner.sign({ hash: hashMessage(message) });
    const payload = { status: "success", message, signature, address: wallet, version: 2 };
    const result = await signIn(harness, payload);
    assert.equal(result.member.wallet, wallet.toLowerCase());
    assert.equal(await sessionCount(harness.kv), 1);
  });
});

Deno.test("[auth] SIWE: a contract wallet signature by someone other than its owner is refused", async () => {
  await withHarness(async (harness) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const stranger = privateKeyToAccount(generatePrivateKey());
    const wallet = await harness.chain.deploySafeWallet(owner.address);
    const { nonce } = await issueNonce(harness.kv, harness.clock);
    const message = buildMessage(harness.clock, wallet, nonce);
    const signature = await stranger.sign({ hash: hashMessage(message) });
    const payload = { status: "success", message, signature, address: wallet, version: 2 };
    assert.equal(await failureCode(harness, payload), "UnauthorizedError:siwe_bad_signature");
    assert.equal(await sessionCount(harness.kv), 0);
  });
});

Deno.test("[auth] SIWE: each failed check has its own code and opens no session", async () => {
  await withHarness(async (harness) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    const now = harness.clock.now();
    const codes: Record<string, string> = {};

    const used = await eoaPayload(harness, account);
    await signIn(harness, used);
    const sessionsAfterValid = await sessionCount(harness.kv);
    codes.replayed = await failureCode(harness, used);

    const unknownNonceMessage = buildMessage(harness.clock, account.address, "NeverIssued12345");
    codes.unknownNonce = await failureCode(harness, {
      ...used,
      message: unknownNonceMessage,
      signature: await account.signMessage({ message: unknownNonceMessage }),
    });

    codes.wrongDomain = await failureCode(
      harness,
      await eoaPayload(harness, account, { domain: "evil.example", uri: "https://evil.example/" }),
    );
    codes.wrongScheme = await failureCode(
      harness,
      await eoaPayload(harness, account, { scheme: "http" }),
    );
    codes.wrongUri = await failureCode(
      harness,
      await eoaPayload(harness, account, { uri: "https://evil.example/enter" }),
    );
    codes.wrongChain = await failureCode(
      harness,
      await eoaPayload(harness, account, { chainId: 1 }),
    );
    codes.expired = await failureCode(
      harness,
      await eoaPayload(harness, account, { expirationTime: new Date(now - 1_000) }),
    );
    codes.notYetValid = await failureCode(
      harness,
      await eoaPayload(harness, account, { notBefore: new Date(now + 60_000) }),
    );
    codes.issuedTooLongAgo = await failureCode(
      harness,
      await eoaPayload(harness, account, { issuedAt: new Date(now - 10 * 60_000) }),
    );
    codes.issuedInFuture = await failureCode(
      harness,
      await eoaPayload(harness, account, { issuedAt: new Date(now + 10 * 60_000) }),
    );

    const genuine = await eoaPayload(harness, account);
    codes.tampered = await failureCode(harness, {
      ...genuine,
      message: genuine.message.replace("Enter the Aurum Circle", "Enter the Aurum Circle as admin"),
    });
    codes.addressMismatch = await failureCode(harness, { ...genuine, address: other.address });
    codes.wrongSigner = await failureCode(harness, {
      ...genuine,
      signature: await other.signMessage({ message: genuine.message }),
    });
    codes.malformed = await failureCode(harness, { ...genuine, message: "hello, sign me in" });
    codes.badPayload = await failureCode(harness, { ...genuine, signature: "not-hex" });

    assert.deepEqual(codes, {
      replayed: "UnauthorizedError:siwe_nonce_replayed",
      unknownNonce: "UnauthorizedError:siwe_nonce_unknown",
      wrongDomain: "UnauthorizedError:siwe_wrong_domain",
      wrongScheme: "UnauthorizedError:siwe_wrong_domain",
      wrongUri: "UnauthorizedError:siwe_wrong_uri",
      wrongChain: "UnauthorizedError:siwe_wrong_chain",
      expired: "UnauthorizedError:siwe_expired",
      notYetValid: "UnauthorizedError:siwe_not_yet_valid",
      issuedTooLongAgo: "UnauthorizedError:siwe_issued_at_too_old",
      issuedInFuture: "UnauthorizedError:siwe_issued_at_in_future",
      tampered: "UnauthorizedError:siwe_bad_signature",
      addressMismatch: "UnauthorizedError:siwe_address_mismatch",
      wrongSigner: "UnauthorizedError:siwe_bad_signature",
      malformed: "UnauthorizedError:siwe_malformed_message",
      badPayload: "BadRequestError:siwe_invalid_payload",
    });
    assert.equal(await sessionCount(harness.kv), sessionsAfterValid, "no failure opened a session");

    // A failed attempt does not burn the nonce: the genuine payload still signs in once.
    await signIn(harness, genuine);
    assert.equal(await failureCode(harness, genuine), "UnauthorizedError:siwe_nonce_replayed");
  });
});

Deno.test("[auth] SIWE: an expired nonce is refused with its own code", async () => {
  await withHarness(async (harness) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const { nonce } = await issueNonce(harness.kv, harness.clock, 30);
    harness.clock.advance(31_000);
    const message = buildMessage(harness.clock, account.address, nonce);
    const payload = {
      status: "success",
      message,
      signature: await account.signMessage({ message }),
      address: account.address,
      version: 2,
    };
    assert.equal(await failureCode(harness, payload), "UnauthorizedError:siwe_nonce_expired");
  });
});

Deno.test("[auth] SIWE: a chain outage during a contract-wallet check is ServiceUnavailable", async () => {
  await withHarness(async (harness) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await harness.chain.deploySafeWallet(owner.address);
    const { nonce } = await issueNonce(harness.kv, harness.clock);
    const message = buildMessage(harness.clock, wallet, nonce);
    const signature: Hex = await owner.sign({ hash: hashMessage(message) });
    await harness.chain.stop();
    const code = await failureCode(harness, {
      status: "success",
      message,
      signature,
      address: wallet,
      version: 2,
    });
    assert.equal(code, "ServiceUnavailableError:chain_unavailable");
  });
});

Deno.test("[auth] SIWE: error classes carry codes the HTTP layer can map", () => {
  const error = new UnauthorizedError("siwe_wrong_chain", "wrong chain");
  assert.ok(error instanceof DomainError);
  assert.equal(error.code, "siwe_wrong_chain");
  assert.equal(new BadRequestError("x", "y").name, "BadRequestError");
});
