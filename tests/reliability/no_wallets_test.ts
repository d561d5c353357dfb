/**
 * Members are named by profile ids and display names only: a realistic scenario over HTTP (profiles,
 * an invite claimed, signals, a match, an event ticket checked in by an admin), then every
 * member-facing API answer and page is scanned for wallets and World ID nullifiers. A member's own
 * wallet in their own account or ticket is theirs to see; nobody else's may appear.
 */
import assert from "node:assert/strict";
import { getMember } from "@/core/members.ts";
import { sessionCookie } from "@/tests/auth_http/helpers.ts";
import {
  call as eventCall,
  claim,
  createEventHttp,
  eventsApp,
  expectJson,
  signInAs,
} from "@/tests/events_http/helpers.ts";
import {
  as,
  call,
  createProfileOver,
  from,
  memberWithProfile,
  newSeeker,
  type TestMember,
} from "@/tests/social_http/_helpers.ts";

const WALLET = /0x[0-9a-fA-F]{40}(?![0-9a-fA-F])/g;

Deno.test("[no wallets] no member-facing answer or page shows another member's wallet or a nullifier", async () => {
  const t = await eventsApp();
  try {
    const adminCookie = await signInAs(t, "keyholder");
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const carol = await memberWithProfile(t, { displayName: "Carolina" });

    // Alice invites someone, who claims the code and makes a profile.
    const invite = await call(t, "POST", "/api/invites", alice);
    assert.equal(invite.status, 201);
    const seeker = await newSeeker(t.kv, t.app.deps.clock);
    const redeemed = await t.fetch(
      `/api/invites/${invite.body.code}/redeem`,
      from(seeker, "10.9.8.7", { method: "POST" }),
    );
    assert.equal(redeemed.status, 200, await redeemed.text());
    const dina: TestMember = { wallet: seeker.wallet, cookie: sessionCookie(redeemed)! };
    const dinaProfile = await createProfileOver(t, dina, { displayName: "Dina" });
    const dinaMember = { ...dina, profileId: dinaProfile.id as string };
    await call(t, "POST", "/api/invites", alice); // an active code next to the claimed one

    // Signals: Alice and Bob match; Carol and Dina signal Alice in secret.
    for (
      const [sender, to] of [[alice, bob], [bob, alice], [carol, alice], [dinaMember, alice]]
    ) {
      const sent = await call(t, "POST", "/api/signals/send", sender, { to: to.profileId });
      assert.equal(sent.status, 200);
    }
    const matches = await call(t, "GET", "/api/signals/mutual", alice);
    assert.equal(matches.body.matches.length, 1);

    // An event; Alice's ticket is checked in by the admin.
    const event = await createEventHttp(t, adminCookie, { maxTickets: 5 });
    const { ticket } = await expectJson(await claim(t, alice.cookie, event.id), 201);
    const { token } = await expectJson(
      await t.fetch(`/api/tickets/${ticket.id}/checkin-token`, eventCall(alice.cookie)),
      200,
    );
    await expectJson(await t.fetch("/api/checkin", eventCall(adminCookie, "POST", { token })), 200);

    const members = [alice, bob, carol, dinaMember];
    const nullifiers: string[] = [];
    for (const wallet of [...members.map((m) => m.wallet), seeker.wallet]) {
      const hash = (await getMember(t.kv, wallet))?.worldId?.nullifierHash;
      if (hash) nullifiers.push(hash.toLowerCase(), hash.slice(2).toLowerCase());
    }
    assert.ok(nullifiers.length >= 8);

    const leaks: string[] = [];
    let scanned = 0;
    for (const viewer of members) {
      const paths = [
        "/",
        "/vault",
        "/matches",
        "/invites",
        "/events",
        `/events/${event.id}`,
        `/events/${event.id}?ticket=${ticket.id}`,
        "/profile/edit",
        ...members.map((m) => `/members/${m.profileId}`),
        `/invite/${invite.body.code}`,
        "/api/auth/session",
        "/api/profiles",
        "/api/profiles/me",
        ...members.map((m) => `/api/profiles/${m.profileId}`),
        "/api/signals/received",
        "/api/signals/sent",
        "/api/signals/mutual",
        "/api/invites",
        "/api/events",
        "/api/events?when=past",
        `/api/events/${event.id}`,
        `/api/events/${event.id}/tickets`,
        ...(viewer === alice ? [`/api/tickets/${ticket.id}`] : []),
      ];
      for (const path of paths) {
        const res = await t.fetch(path, as(viewer));
        const body = await res.text();
        scanned++;
        assert.ok(res.status < 500, `${path}: ${res.status}`);
        const own = viewer.wallet.toLowerCase();
        for (const [found] of body.matchAll(WALLET)) {
          if (found.toLowerCase() !== own) leaks.push(`${path} (as ${viewer.profileId}): ${found}`);
        }
        const lower = body.toLowerCase();
        for (const hash of nullifiers) {
          if (lower.includes(hash)) leaks.push(`${path} (as ${viewer.profileId}): a nullifier`);
        }
      }
    }
    assert.ok(scanned > 100);
    assert.deepEqual(leaks, []);
  } finally {
    await t.stop();
  }
});
