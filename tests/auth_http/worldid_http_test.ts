/**
 * World ID over HTTP against the real app: members signed in with SIWE (anvil) post MiniKit proofs,
 * the app verifies them with the World developer portal — here its recorded request/response pairs
 * served on loopback, which answer only requests identical to the recordings (signal = wallet).
 */
import assert from "node:assert/strict";
import { type Address, getAddress } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createWorldIdPortalClient } from "@/core/auth/worldid.ts";
import { startTestChain } from "@/tests/helpers/chain.ts";
import { type RecordedPortal, startRecordedPortal } from "@/tests/helpers/recorded_portal.ts";
import {
  anvilAccount,
  installContractWalletAt,
  post,
  sessionCookie,
  sessionOf,
  signInWithWallet,
  type TestApp,
  testApp,
} from "./helpers.ts";
import type { AppDepsInput } from "@/server/app.ts";

/** The recordings' two wallets: A is a contract wallet (no known key, like a World App Safe), whose
 * owner is a fresh local account; B is anvil's account #2, a plain account. */
interface Wallets {
  a: Address;
  aOwner: ReturnType<typeof privateKeyToAccount>;
  b: ReturnType<typeof anvilAccount>;
}

/** Signs wallet A or B in over HTTP; returns the session cookie. */
const signIn = (t: TestApp, wallets: Wallets, which: "a" | "b") =>
  which === "a" ? signInWithWallet(t, wallets.aOwner, wallets.a) : signInWithWallet(t, wallets.b);

/**
 * Runs `body` with anvil (for wallet sign-in), the recorded portal and an app whose config points at
 * both; checks afterwards that every portal request matched a recording.
 */
async function withWorldId(
  body: (t: TestApp, portal: RecordedPortal, wallets: Wallets) => Promise<void>,
  deps: (portal: RecordedPortal) => Partial<AppDepsInput> = () => ({}),
) {
  const chain = await startTestChain();
  const portal = await startRecordedPortal();
  let t: TestApp | undefined;
  try {
    t = await testApp({
      CHAIN_ID: String(chain.anvil.chainId),
      CHAIN_RPC_URL: chain.anvil.rpcUrl,
      WORLD_ID_PORTAL_URL: portal.url,
      WORLD_APP_ID: portal.appId,
      WORLD_ID_ACTION: portal.action,
    }, deps(portal));
    const wallets: Wallets = {
      a: getAddress(portal.pair("success").wallet),
      aOwner: privateKeyToAccount(generatePrivateKey()),
      b: anvilAccount(2),
    };
    assert.equal(wallets.b.address, portal.pair("success_wallet_b_same_human").wallet);
    await installContractWalletAt(chain, wallets.a, wallets.aOwner.address);
    await body(t, portal, wallets);
    assert.deepEqual(portal.unmatched, [], "every portal request matches a recording");
  } finally {
    await t?.close();
    await portal.close();
    await chain.stop();
  }
}

/** Posts the recorded pair's proof as MiniKit's `verify` success payload. */
async function postProof(t: TestApp, portal: RecordedPortal, name: string, cookie?: string) {
  const res = await t.fetch(
    "/api/auth/worldid",
    post({ status: "success", ...portal.pair(name).proof }, cookie),
  );
  return {
    status: res.status,
    body: await res.json(),
    cookie: sessionCookie(res),
    setCookie: res.headers.getSetCookie(),
  };
}

Deno.test("[auth-http] World ID: a verified proof binds the human, rotates the session; a return is a welcome back", async () => {
  await withWorldId(async (t, portal, wallets) => {
    const anonymous = await postProof(t, portal, "success");
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.error.code, "not_signed_in");
    assert.deepEqual(portal.served, [], "nothing reaches the portal without a session");

    const first = await signIn(t, wallets, "a");
    const verified = await postProof(t, portal, "success", first);
    assert.equal(verified.status, 200, JSON.stringify(verified.body));
    assert.equal(verified.body.outcome, "verified");
    assert.deepEqual(verified.body.verification.worldId, { level: "orb" });
    const second = verified.cookie;
    assert.ok(second && second !== first, "the session id is rotated");
    assert.equal((await sessionOf(t, first)).status, 401, "the old session id is dead");
    const now = await sessionOf(t, second);
    assert.equal(now.status, 200);
    assert.deepEqual(now.body.verification.worldId, { level: "orb" });

    // The same human proving again: the portal says max_verifications_reached → welcome back.
    const back = await postProof(t, portal, "max_verifications_reached", second);
    assert.equal(back.status, 200, JSON.stringify(back.body));
    assert.equal(back.body.outcome, "welcome_back");
    assert.deepEqual(back.body.verification.worldId, { level: "orb" });
    assert.ok(back.cookie && back.cookie !== second);

    // Another wallet presenting the same human's proof does not get the nullifier.
    const other = await signIn(t, wallets, "b");
    const taken = await postProof(t, portal, "max_verifications_reached_wallet_b", other);
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, "worldid_nullifier_taken");
    assert.deepEqual(taken.setCookie, []);
    assert.equal((await sessionOf(t, other)).body.verification.worldId, null);

    assert.deepEqual(portal.served, [
      "success",
      "max_verifications_reached",
      "max_verifications_reached_wallet_b",
    ]);
  });
});

Deno.test("[auth-http] World ID: rejected proofs are 422 with their codes; portal 5xx and timeout are 503", async () => {
  await withWorldId(
    async (t, portal, wallets) => {
      const cookie = await signIn(t, wallets, "a");
      const codes: Record<string, [number, string]> = {};
      for (
        const name of [
          "invalid_proof",
          "invalid_merkle_root",
          "max_verifications_reached_unknown_human",
          "portal_5xx",
          "portal_timeout",
        ]
      ) {
        const res = await postProof(t, portal, name, cookie);
        assert.deepEqual(res.setCookie, [], `${name} sets no cookie`);
        codes[name] = [res.status, res.body.error?.code];
      }
      assert.deepEqual(codes, {
        invalid_proof: [422, "worldid_invalid_proof"],
        invalid_merkle_root: [422, "worldid_invalid_merkle_root"],
        max_verifications_reached_unknown_human: [422, "worldid_unknown_returning_human"],
        portal_5xx: [503, "worldid_portal_unavailable"],
        portal_timeout: [503, "worldid_portal_timeout"],
      });
      const session = await sessionOf(t, cookie);
      assert.equal(session.status, 200, "the session is untouched");
      assert.equal(session.body.verification.worldId, null, "nobody was verified");
      assert.ok(
        !t.logs.some((entry) => entry.status === 500),
        "no request ended in a 500",
      );
    },
    // The portal client the app builds from config, with a short timeout so the recorded 30 s
    // delay trips it quickly.
    (portal) => ({
      portal: createWorldIdPortalClient({
        portalUrl: portal.url,
        appId: portal.appId,
        action: portal.action,
        timeoutMs: 400,
      }),
    }),
  );
});

Deno.test("[auth-http] World ID: two wallets racing one nullifier — exactly one owns it", async () => {
  await withWorldId(async (t, portal, wallets) => {
    const [cookieA, cookieB] = [
      await signIn(t, wallets, "a"),
      await signIn(t, wallets, "b"),
    ];
    const [a, b] = await Promise.all([
      postProof(t, portal, "success", cookieA),
      postProof(t, portal, "success_wallet_b_same_human", cookieB),
    ]);
    assert.deepEqual([a.status, b.status].sort(), [200, 409], JSON.stringify([a.body, b.body]));
    const [winner, loser] = a.status === 200 ? [a, b] : [b, a];
    const winnerWallet = (a.status === 200 ? wallets.a : wallets.b.address).toLowerCase();
    assert.equal(loser.body.error.code, "worldid_nullifier_taken");
    assert.deepEqual(loser.setCookie, []);
    assert.equal(winner.body.user.id, winnerWallet);

    const owner = await t.kv.get([
      "members_by_nullifier",
      portal.pair("success").proof.nullifier_hash.toLowerCase(),
    ]);
    assert.equal(owner.value, winnerWallet);
    const loserCookie = a.status === 200 ? cookieB : cookieA;
    assert.equal((await sessionOf(t, winner.cookie!)).body.verification.worldId.level, "orb");
    assert.equal((await sessionOf(t, loserCookie)).body.verification.worldId, null);
    assert.deepEqual(portal.served.sort(), ["success", "success_wallet_b_same_human"]);
  });
});
