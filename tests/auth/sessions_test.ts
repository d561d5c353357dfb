import assert from "node:assert/strict";
import {
  createSession,
  deleteSession,
  deleteWalletSessions,
  getSession,
  revokeSession,
  rotateSession,
} from "@/core/auth/sessions.ts";
import { sha256Hex } from "@/core/auth/random.ts";
import { createManualClock } from "@/core/clock.ts";

const WALLET = "0x1111111111111111111111111111111111111111";

Deno.test("[auth] sessions: opaque random id, stored hashed, expires", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const { id, session } = await createSession(kv, clock, {
      wallet: WALLET.toUpperCase().replace("0X", "0x"),
      method: "siwe",
      ttlSeconds: 3600,
    });
    assert.match(id, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(session.wallet, WALLET);
    assert.equal((await kv.get(["sessions", id])).versionstamp, null, "the raw id is not a key");
    assert.notEqual((await kv.get(["sessions", await sha256Hex(id)])).versionstamp, null);
    assert.deepEqual(await getSession(kv, clock, id), session);
    assert.equal(await getSession(kv, clock, "forged-id"), null);
    clock.advance(3600_000);
    assert.equal(await getSession(kv, clock, id), null);
  } finally {
    kv.close();
  }
});

Deno.test("[auth] sessions: rotate issues a new id and kills the old one", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const first = await createSession(kv, clock, { wallet: WALLET, method: "dev" });
    const rotated = await rotateSession(kv, clock, first.id);
    assert.ok(rotated);
    assert.notEqual(rotated.id, first.id);
    assert.equal(rotated.session.method, "dev");
    assert.equal(await getSession(kv, clock, first.id), null);
    assert.equal((await getSession(kv, clock, rotated.id))?.wallet, WALLET);
    assert.equal(await rotateSession(kv, clock, first.id), null, "a dead id cannot be rotated");
  } finally {
    kv.close();
  }
});

Deno.test("[auth] sessions: revoke, delete and delete-all-for-wallet", async () => {
  const kv = await Deno.openKv(":memory:");
  const clock = createManualClock(1_700_000_000_000);
  try {
    const a = await createSession(kv, clock, { wallet: WALLET, method: "siwe" });
    const b = await createSession(kv, clock, { wallet: WALLET, method: "siwe" });
    const c = await createSession(kv, clock, { wallet: WALLET, method: "siwe" });
    assert.equal(await revokeSession(kv, clock, a.id), true);
    assert.equal(await getSession(kv, clock, a.id), null);
    assert.equal(await revokeSession(kv, clock, a.id), false);
    await deleteSession(kv, b.id);
    assert.equal(await getSession(kv, clock, b.id), null);
    await deleteSession(kv, "unknown");
    assert.notEqual(await getSession(kv, clock, c.id), null);
    assert.equal(await deleteWalletSessions(kv, WALLET), 2);
    assert.equal(await getSession(kv, clock, c.id), null);
  } finally {
    kv.close();
  }
});
