/**
 * The gate NFT over HTTP on a real anvil: a member signed in with SIWE and verified with World ID
 * (recorded portal) is kept out while not holding the gate ERC-721, admitted once it is minted to
 * their wallet, and kept out again once it is transferred away and the cached answer's TTL passes.
 */
import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { startTestChain } from "@/tests/helpers/chain.ts";
import { startRecordedPortal } from "@/tests/helpers/recorded_portal.ts";
import {
  anvilAccount,
  post,
  sessionCookie,
  sessionOf,
  signInAs,
  signInWithWallet,
  testApp,
  withCookie,
} from "./helpers.ts";

const GATE_TTL_SECONDS = 120;

Deno.test("[auth-http] gate: non-holder 403, holder admitted (session rotated), transferred away + TTL → 403", async () => {
  const chain = await startTestChain();
  const portal = await startRecordedPortal();
  const clock = createManualClock();
  let t: Awaited<ReturnType<typeof testApp>> | undefined;
  try {
    const gate = await chain.deployGate();
    t = await testApp(
      {
        CHAIN_ID: String(chain.anvil.chainId),
        CHAIN_RPC_URL: chain.anvil.rpcUrl,
        GATE_CONTRACT: gate,
        GATE_TTL_SECONDS: String(GATE_TTL_SECONDS),
        WORLD_ID_PORTAL_URL: portal.url,
        WORLD_APP_ID: portal.appId,
        WORLD_ID_ACTION: portal.action,
      },
      { clock },
      {
        // A members-only API of our own (unlisted routes are members-only by default).
        plugins: [{
          name: "vault-probe",
          routes: [{ path: "/api/vault-probe", handler: () => Response.json({ inside: true }) }],
        }],
      },
    );
    const app = t;
    const vault = async (cookie: string) => {
      const res = await app.fetch("/api/vault-probe", withCookie(cookie));
      const body = await res.json();
      return { status: res.status, code: body.error?.code as string | undefined };
    };
    const nftVerify = async (cookie: string) => {
      const res = await app.fetch("/api/auth/nft-verify", withCookie(cookie, { method: "POST" }));
      return { status: res.status, body: await res.json(), cookie: sessionCookie(res) };
    };

    // A World-ID-verified member: anvil's account #2 signs in with SIWE and presents the recorded
    // proof bound to its address.
    const holder = anvilAccount(2);
    assert.equal(holder.address, portal.pair("success_wallet_b_same_human").wallet);
    const signedIn = await signInWithWallet(t, holder);
    const verifiedRes = await t.fetch(
      "/api/auth/worldid",
      post({ status: "success", ...portal.pair("success_wallet_b_same_human").proof }, signedIn),
    );
    assert.equal(verifiedRes.status, 200, await verifiedRes.clone().text());
    assert.deepEqual((await verifiedRes.json()).verification.worldId, { level: "orb" });
    let cookie = sessionCookie(verifiedRes)!;

    // Not holding the gate NFT: nft-verify says so, the vault stays shut.
    assert.deepEqual(await vault(cookie), { status: 403, code: "not_admitted" });
    const without = await nftVerify(cookie);
    assert.equal(without.status, 200, JSON.stringify(without.body));
    assert.equal(without.body.holdsGateNft, false);
    assert.deepEqual(without.body.membership, { admitted: false, via: null });
    assert.equal(without.cookie, null, "no change of membership, no new session id");
    assert.deepEqual(await vault(cookie), { status: 403, code: "not_admitted" });

    // Minted to the wallet: admitted, with a new session id; the old one is dead.
    const tokenId = await chain.mintGate(gate, holder.address);
    const withNft = await nftVerify(cookie);
    assert.equal(withNft.status, 200, JSON.stringify(withNft.body));
    assert.equal(withNft.body.holdsGateNft, true);
    assert.equal(new Date(withNft.body.checkedAt).getTime(), clock.now());
    assert.deepEqual(withNft.body.membership, { admitted: true, via: "gate_nft" });
    assert.ok(withNft.cookie && withNft.cookie !== cookie, "admission rotates the session id");
    assert.equal((await sessionOf(t, cookie)).status, 401, "the pre-admission session id is dead");
    cookie = withNft.cookie;
    assert.deepEqual(await vault(cookie), { status: 200, code: undefined });

    // Transferred away: within the TTL the cached answer still stands…
    await chain.transferGate(gate, holder, chain.deployer, tokenId);
    clock.advance((GATE_TTL_SECONDS - 10) * 1000);
    assert.deepEqual(await vault(cookie), { status: 200, code: undefined });

    // …once it is stale the chain is asked again, and the vault shuts without any client action.
    clock.advance(11_000);
    assert.deepEqual(await vault(cookie), { status: 403, code: "not_admitted" });
    const after = await nftVerify(cookie);
    assert.equal(after.status, 200, JSON.stringify(after.body));
    assert.equal(after.body.holdsGateNft, false);
    assert.deepEqual(after.body.membership, { admitted: false, via: null });
    assert.deepEqual(await vault(after.cookie ?? cookie), { status: 403, code: "not_admitted" });
    const session = await sessionOf(t, after.cookie ?? cookie);
    assert.equal(session.status, 200, "still signed in, just not admitted");
    assert.deepEqual(session.body.membership, { admitted: false, via: null });
  } finally {
    await t?.close();
    await portal.close();
    await chain.stop();
  }
});

Deno.test("[auth-http] gate: a stale admission is re-read from the chain; with the chain down it stands", async () => {
  const chain = await startTestChain();
  const clock = createManualClock();
  let t: Awaited<ReturnType<typeof testApp>> | undefined;
  try {
    const gate = await chain.deployGate();
    t = await testApp(
      {
        CHAIN_ID: String(chain.anvil.chainId),
        CHAIN_RPC_URL: chain.anvil.rpcUrl,
        GATE_CONTRACT: gate,
        GATE_TTL_SECONDS: String(GATE_TTL_SECONDS),
      },
      { clock },
      {
        plugins: [{
          name: "vault-probe",
          routes: [{ path: "/api/vault-probe", handler: () => Response.json({ inside: true }) }],
        }],
      },
    );
    const app = t;
    const vault = async (cookie: string) => {
      const res = await app.fetch("/api/vault-probe", withCookie(cookie));
      await res.body?.cancel();
      return res.status;
    };
    // The keyholder persona is admitted "by gate NFT", but on this fresh chain holds none.
    assert.equal(await vault(await signInAs(t, "keyholder")), 403, "the chain is asked: no NFT");

    const cookie = await signInAs(t, "keyholder"); // the persona grants the admission again
    await chain.stop();
    clock.advance((GATE_TTL_SECONDS + 1) * 1000); // the cached "no NFT" answer goes stale
    assert.equal(await vault(cookie), 200, "an unreachable chain does not lock members out");
    assert.ok(t.logs.some((entry) => entry.msg === "gate_recheck_unavailable"));
    const res = await t.fetch("/api/auth/nft-verify", withCookie(cookie, { method: "POST" }));
    assert.equal(res.status, 503, "an explicit re-check says the chain is unavailable");
    assert.equal((await res.json()).error.code, "gate_chain_unavailable");
  } finally {
    await t?.close();
    await chain.stop();
  }
});
