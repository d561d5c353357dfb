import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { ensureMember, getMember } from "@/core/members.ts";
import { createSession } from "@/core/auth/sessions.ts";
import { INVITE_RATE_LIMITS } from "@/core/social/mod.ts";
import { sessionCookie } from "@/tests/auth_http/helpers.ts";
import { call, from, newMember, newSeeker, withSocialApp } from "./_helpers.ts";

Deno.test("[invites http] generate, list with link, 4th active → 409, revoke, others' → 404", async () => {
  await withSocialApp(async (t) => {
    const alice = await newMember(t);
    const bob = await newMember(t);
    const codes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call(t, "POST", "/api/invites", alice);
      assert.equal(res.status, 201);
      assert.match(res.body.code, /^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$/);
      const link = new URL(res.body.link);
      assert.equal(link.origin + link.pathname, "https://worldcoin.org/mini-app");
      assert.equal(link.searchParams.get("path"), `/invite/${res.body.code}`);
      codes.push(res.body.code);
    }
    const fourth = await call(t, "POST", "/api/invites", alice);
    assert.equal(fourth.status, 409);
    assert.equal(fourth.body.error.code, "invite_limit_reached");
    const list = await call(t, "GET", "/api/invites", alice);
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.invites.map((i: { code: string }) => i.code).sort(), codes.sort());
    assert.ok(list.body.invites.every((i: { status: string }) => i.status === "active"));
    assert.equal((await call(t, "DELETE", `/api/invites/${codes[0]}`, bob)).status, 404);
    const revoked = await call(t, "DELETE", `/api/invites/${codes[0]}`, alice);
    assert.equal(revoked.status, 200);
    assert.equal(revoked.body.status, "revoked");
    assert.equal((await call(t, "POST", "/api/invites", alice)).status, 201);
    // A seeker cannot create codes (members only).
    const seeker = await newSeeker(t.kv, t.app.deps.clock);
    assert.equal((await call(t, "POST", "/api/invites", seeker)).status, 403);
  });
});

Deno.test("[invites http] 200 parallel redemptions of one code → exactly one 200, 199 × 409", async () => {
  await withSocialApp(async (t) => {
    const inviter = await newMember(t);
    const { body: invite } = await call(t, "POST", "/api/invites", inviter);
    const seekers = await Promise.all(
      Array.from({ length: 200 }, () => newSeeker(t.kv, t.app.deps.clock)),
    );
    const responses = await Promise.all(seekers.map((seeker, i) =>
      t.fetch(
        `/api/invites/${invite.code}/redeem`,
        from(seeker, `10.1.${i >> 8}.${i & 255}`, { method: "POST" }),
      )
    ));
    const statuses = responses.map((r) => r.status);
    const bodies = await Promise.all(responses.map((r) => r.json()));
    assert.equal(statuses.filter((s) => s === 200).length, 1, JSON.stringify(statuses));
    assert.equal(statuses.filter((s) => s === 409).length, 199);
    assert.ok(
      bodies.filter((_, i) => statuses[i] === 409)
        .every((b) => b.error.code === "invite_already_claimed"),
    );
    const winnerIndex = statuses.indexOf(200);
    const winner = seekers[winnerIndex];
    assert.equal(bodies[winnerIndex].membership.admitted, true);
    // The session was rotated: a new cookie, and the old one no longer works.
    const rotated = sessionCookie(responses[winnerIndex]);
    assert.ok(rotated && rotated !== winner.cookie);
    assert.equal((await call(t, "GET", "/api/auth/session", winner)).status, 401);
    const member = await getMember(t.kv, winner.wallet);
    assert.equal(member?.membership.via, "invite");
    const list = await call(t, "GET", "/api/invites", inviter);
    assert.equal(list.body.invites[0].status, "claimed");
    // The claim holds a salted hash, never the raw IP.
    for await (const entry of t.kv.list({ prefix: ["invite_claims"] })) {
      assert.ok(!JSON.stringify(entry.value).includes(`10.1.`));
    }
  });
});

Deno.test("[invites http] expired or revoked → 410, unknown → 404, signed out → 401, admitted → 409", async () => {
  const clock = createManualClock();
  await withSocialApp(async (t) => {
    const inviter = await newMember(t);
    const expiring = (await call(t, "POST", "/api/invites", inviter)).body.code;
    const revoked = (await call(t, "POST", "/api/invites", inviter)).body.code;
    assert.equal((await call(t, "DELETE", `/api/invites/${revoked}`, inviter)).status, 200);
    clock.advance(31 * 24 * 3600 * 1000);
    const seeker = await newSeeker(t.kv, clock);
    const redeem = (code: string, ip: string, who = seeker) =>
      t.fetch(`/api/invites/${code}/redeem`, from(who, ip, { method: "POST" }));
    const expired = await redeem(expiring, "10.2.0.1");
    assert.equal(expired.status, 410);
    assert.equal((await expired.json()).error.code, "invite_expired");
    const gone = await redeem(revoked, "10.2.0.2");
    assert.equal(gone.status, 410);
    assert.equal((await gone.json()).error.code, "invite_revoked");
    const unknown = await redeem("2345-6789-AB", "10.2.0.3");
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    const signedOut = await t.fetch(`/api/invites/${expiring}/redeem`, { method: "POST" });
    assert.equal(signedOut.status, 401);
    await signedOut.body?.cancel();
    const second = await newMember(t);
    const fresh = (await call(t, "POST", "/api/invites", second)).body.code;
    const already = await redeem(fresh, "10.2.0.4", second);
    assert.equal(already.status, 409);
    assert.equal((await already.json()).error.code, "already_admitted");
  }, { clock });
});

Deno.test("[invites http] redemption is rate limited per IP and per member (429 + Retry-After)", async () => {
  await withSocialApp(async (t) => {
    const clock = t.app.deps.clock;
    const seekers = await Promise.all(Array.from({ length: 11 }, () => newSeeker(t.kv, clock)));
    const statuses: number[] = [];
    for (const seeker of seekers) {
      const res = await t.fetch(
        "/api/invites/2345-6789-AB/redeem",
        from(seeker, "10.3.0.1", { method: "POST" }),
      );
      statuses.push(res.status);
      if (res.status === 429) assert.ok(Number(res.headers.get("retry-after")) > 0);
      await res.body?.cancel();
    }
    assert.deepEqual(statuses, [...Array(10).fill(404), 429]);
    const one = seekers[0];
    const perMember: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.fetch(
        "/api/invites/2345-6789-AB/redeem",
        from(one, `10.4.0.${i}`, { method: "POST" }),
      );
      perMember.push(res.status);
      await res.body?.cancel();
    }
    // The first IP-limited attempts already counted 1 for this member.
    assert.equal(perMember.at(-1), 429);
    assert.ok(perMember.slice(0, 4).every((s) => s === 404));
  });
});

Deno.test("[invites http] World ID is checked before the shared per-IP budget, and refused attempts spend none", async () => {
  await withSocialApp(async (t) => {
    const clock = t.app.deps.clock;
    const ip = "10.9.0.1";
    const redeem = async (who: { wallet: string; cookie: string }) => {
      const res = await t.fetch(
        "/api/invites/2345-6789-AB/redeem",
        from(who, ip, { method: "POST" }),
      );
      const body = await res.json();
      return `${res.status} ${body.error.code}`;
    };
    // Signed in, never verified with World ID: always 403, never 429, and the IP budget is untouched.
    const wallet = `0x${"7e".repeat(20)}`;
    await ensureMember(t.kv, clock, wallet);
    const { id } = await createSession(t.kv, clock, { wallet, method: "dev", ttlSeconds: 3600 });
    const unverified = { wallet, cookie: id };
    for (let i = 0; i < INVITE_RATE_LIMITS.redeemByIp.limit + 2; i++) {
      assert.equal(await redeem(unverified), "403 worldid_required");
    }
    // A verified member past their own limit: their 429s do not spend the IP's budget either.
    const eager = await newSeeker(t.kv, clock);
    const own = INVITE_RATE_LIMITS.redeemByWallet.limit;
    for (let i = 0; i < own; i++) assert.equal(await redeem(eager), "404 invite_not_found");
    for (let i = 0; i < 5; i++) assert.equal(await redeem(eager), "429 rate_limited");
    // What is left of the IP budget goes to the others behind the same address.
    const left = INVITE_RATE_LIMITS.redeemByIp.limit - own;
    for (let i = 0; i < left; i++) {
      assert.equal(await redeem(await newSeeker(t.kv, clock)), "404 invite_not_found");
    }
    assert.equal(await redeem(await newSeeker(t.kv, clock)), "429 rate_limited");
  });
});
