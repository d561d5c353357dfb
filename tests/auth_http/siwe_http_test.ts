/**
 * Wallet sign-in over HTTP against the real app and a real anvil: MiniKit-shaped EIP-4361 messages
 * signed by viem local accounts and by an EIP-1271 contract wallet; every refusal is a 401 with its
 * own code, sets no cookie and stores no session; a chain outage is a 503.
 */
import assert from "node:assert/strict";
import { hashMessage, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createManualClock, type ManualClock } from "@/core/clock.ts";
import { startTestChain, type TestChain } from "@/tests/helpers/chain.ts";
import {
  countKeys,
  eoaWalletAuth,
  fetchNonce,
  post,
  sessionOf,
  type TestApp,
  testApp,
  walletAuthMessage,
} from "./helpers.ts";

/** Runs `body` with a fresh anvil (gate deployed) and an app configured for it, on a manual clock. */
async function withChainApp(
  body: (t: TestApp, chain: TestChain, clock: ManualClock) => Promise<void>,
) {
  const chain = await startTestChain();
  let t: TestApp | undefined;
  try {
    const gate = await chain.deployGate();
    const clock = createManualClock();
    t = await testApp({
      CHAIN_ID: String(chain.anvil.chainId),
      CHAIN_RPC_URL: chain.anvil.rpcUrl,
      GATE_CONTRACT: gate,
    }, { clock });
    await body(t, chain, clock);
  } finally {
    await t?.close();
    await chain.stop();
  }
}

/** Posts a walletAuth payload; returns status, body and the cookies the response sets. */
async function postWallet(t: TestApp, payload: unknown) {
  const res = await t.fetch("/api/auth/wallet", post(payload));
  return { status: res.status, body: await res.json(), setCookie: res.headers.getSetCookie() };
}

Deno.test("[auth-http] SIWE: a viem local account signs in, gets a session cookie, and the session works", async () => {
  await withChainApp(async (t) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const nonce = await fetchNonce(t);
    assert.match(nonce, /^[A-Za-z0-9]{16,}$/);
    const message = walletAuthMessage(account.address, nonce, {
      expirationTime: new Date(Date.now() + 10 * 60_000),
    });
    assert.match(message, /^http:\/\/localhost:8000 wants you to sign in/);
    const payload = {
      status: "success",
      message,
      signature: await account.signMessage({ message }),
      address: account.address,
      version: 2,
    };
    const res = await postWallet(t, payload);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.address, account.address);
    assert.deepEqual(res.body.membership, { admitted: false, via: null });
    assert.equal(res.setCookie.length, 1);
    assert.match(res.setCookie[0], /^aurum_session=[A-Za-z0-9_-]{43}; .*HttpOnly; SameSite=Lax/);

    const cookie = res.setCookie[0].match(/^aurum_session=([^;]+)/)![1];
    const session = await sessionOf(t, cookie);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, account.address.toLowerCase());
    assert.equal(session.body.verification.worldId, null);

    // MiniKit's own template ends the message with a newline; that shape signs in too.
    const minikitShaped = await eoaWalletAuth(t, account);
    minikitShaped.message += "\n";
    minikitShaped.signature = await account.signMessage({ message: minikitShaped.message });
    const again = await postWallet(t, minikitShaped);
    assert.equal(again.status, 200, JSON.stringify(again.body));
  });
});

Deno.test("[auth-http] SIWE: an EIP-1271 contract wallet deployed on anvil signs in", async () => {
  await withChainApp(async (t, chain) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await chain.deploySafeWallet(owner.address);
    const message = walletAuthMessage(wallet, await fetchNonce(t));
    // The Safe's owner signs the EIP-191 hash; the Safe answers isValidSignature for it.
    const signature: Hex = await owner.sign({ hash: hashMessage(message) });
    const res = await postWallet(t, {
      status: "success",
      message,
      signature,
      address: wallet,
      version: 2,
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.address, wallet);
    const cookie = res.setCookie[0].match(/^aurum_session=([^;]+)/)![1];
    const session = await sessionOf(t, cookie);
    assert.equal(session.status, 200);
    assert.equal(session.body.user.id, wallet.toLowerCase());

    // The same Safe message signed by someone who does not own the Safe is refused.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = walletAuthMessage(wallet, await fetchNonce(t));
    const refused = await postWallet(t, {
      status: "success",
      message: forged,
      signature: await stranger.sign({ hash: hashMessage(forged) }),
      address: wallet,
      version: 2,
    });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, "siwe_bad_signature");
    assert.deepEqual(refused.setCookie, []);
  });
});

Deno.test("[auth-http] SIWE: each refusal is a 401 with its own code, no cookie and no session", async () => {
  await withChainApp(async (t, _chain, clock) => {
    const account = privateKeyToAccount(generatePrivateKey());
    const other = privateKeyToAccount(generatePrivateKey());
    const now = clock.now();

    const used = await eoaWalletAuth(t, account);
    assert.equal((await postWallet(t, used)).status, 200);
    const sessionsBefore = await countKeys(t.kv, ["sessions"]);
    const membersBefore = await countKeys(t.kv, ["members"]);
    assert.equal(sessionsBefore, 1);

    const unknownNonceMessage = walletAuthMessage(account.address, "NeverIssuedByUs123456789");
    const genuine = await eoaWalletAuth(t, account);
    const attempts: Record<string, unknown> = {
      replayedNonce: used,
      unknownNonce: {
        ...used,
        message: unknownNonceMessage,
        signature: await account.signMessage({ message: unknownNonceMessage }),
      },
      wrongDomain: await eoaWalletAuth(t, account, {
        domain: "evil.example",
        uri: "http://evil.example/signin",
      }),
      wrongUri: await eoaWalletAuth(t, account, { uri: "http://evil.example/signin" }),
      wrongChain: await eoaWalletAuth(t, account, { chainId: 1 }),
      expired: await eoaWalletAuth(t, account, { expirationTime: new Date(now - 1_000) }),
      tamperedMessage: {
        ...genuine,
        message: genuine.message.replace(
          "Enter the Aurum Circle",
          "Enter the Aurum Circle as admin",
        ),
      },
      // The message is `account`'s, signed by `account`, but the payload claims `other`.
      addressMismatch: { ...genuine, address: other.address },
    };

    const codes: Record<string, string> = {};
    for (const [name, payload] of Object.entries(attempts)) {
      const res = await postWallet(t, payload);
      assert.equal(res.status, 401, `${name}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.setCookie, [], `${name} sets no cookie`);
      codes[name] = res.body.error.code;
    }
    assert.deepEqual(codes, {
      replayedNonce: "siwe_nonce_replayed",
      unknownNonce: "siwe_nonce_unknown",
      wrongDomain: "siwe_wrong_domain",
      wrongUri: "siwe_wrong_uri",
      wrongChain: "siwe_wrong_chain",
      expired: "siwe_expired",
      tamperedMessage: "siwe_bad_signature",
      addressMismatch: "siwe_address_mismatch",
    });
    assert.equal(
      new Set(Object.values(codes)).size,
      Object.keys(codes).length,
      "codes are distinct",
    );
    assert.equal(
      await countKeys(t.kv, ["sessions"]),
      sessionsBefore,
      "no refusal stored a session",
    );
    assert.equal(await countKeys(t.kv, ["members"]), membersBefore, "no refusal created a member");

    // The refusals did not burn the genuine nonce: the untampered payload still signs in, once.
    clock.advance(61_000); // past the per-IP wallet sign-in rate-limit window (10 a minute)
    assert.equal((await postWallet(t, genuine)).status, 200);
    assert.equal((await postWallet(t, genuine)).body.error.code, "siwe_nonce_replayed");
  });
});

Deno.test("[auth-http] SIWE: with the chain stopped, a contract-wallet sign-in is a 503, not a 500", async () => {
  await withChainApp(async (t, chain) => {
    const owner = privateKeyToAccount(generatePrivateKey());
    const wallet = await chain.deploySafeWallet(owner.address);
    const message = walletAuthMessage(wallet, await fetchNonce(t));
    const signature: Hex = await owner.sign({ hash: hashMessage(message) });
    await chain.stop();
    const res = await postWallet(t, {
      status: "success",
      message,
      signature,
      address: wallet,
      version: 2,
    });
    assert.equal(res.status, 503, JSON.stringify(res.body));
    assert.equal(res.body.error.code, "chain_unavailable");
    assert.deepEqual(res.setCookie, []);
    assert.equal(await countKeys(t.kv, ["sessions"]), 0);
  });
});

Deno.test("[auth-http] SIWE: without a chain, a plain account still signs in (ECDSA is checked offline)", async () => {
  const t = await testApp({ CHAIN_RPC_URL: "" });
  try {
    const account = privateKeyToAccount(generatePrivateKey());
    const res = await postWallet(t, await eoaWalletAuth(t, account));
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.address, account.address);
    assert.equal(res.setCookie.length, 1);
    const cookie = res.setCookie[0].match(/^aurum_session=([^;]+)/)![1];
    assert.equal((await sessionOf(t, cookie)).status, 200);

    // A signature by another key may still be a contract wallet's: that needs the chain.
    const stranger = privateKeyToAccount(generatePrivateKey());
    const forged = await eoaWalletAuth(t, account);
    forged.signature = await stranger.signMessage({ message: forged.message });
    const refused = await postWallet(t, forged);
    assert.equal(refused.status, 503, JSON.stringify(refused.body));
    assert.equal(refused.body.error.code, "chain_unavailable");
    assert.deepEqual(refused.setCookie, []);
  } finally {
    await t.close();
  }
});
