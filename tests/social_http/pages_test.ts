import assert from "node:assert/strict";
import {
  as,
  call,
  memberWithProfile,
  newSeeker,
  recordMainPhoto,
  withSocialApp,
} from "./_helpers.ts";
import { shippedJs } from "@/tests/helpers/page_js.ts";

Deno.test("[social pages] vault cards carry SignalButton with the member's state; invites, landing, matches render", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    await recordMainPhoto(t, alice);
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const carol = await memberWithProfile(t, { displayName: "Carolina" });
    await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    await call(t, "POST", "/api/signals/send", alice, { to: carol.profileId });
    await call(t, "POST", "/api/signals/send", carol, { to: alice.profileId });
    const vault = await (await t.fetch("/vault", as(alice))).text();
    const stateOf = (id: string) =>
      vault.match(new RegExp(`data-state="(\\w+)" data-profile="${id}"`))?.[1];
    assert.equal(stateOf(bob.profileId), "sent");
    assert.equal(stateOf(carol.profileId), "matched");
    assert.match(vault, /MutualMatchNotification/);

    const { body: invite } = await call(t, "POST", "/api/invites", alice);
    const page = await t.fetch("/invites", as(alice));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<svg[^>]*viewBox="0 0 \d+ \d+"[^>]*aria-label="QR code for invite/);
    assert.ok(html.includes(invite.code));

    const anonymous = await t.fetch(`/invite/${invite.code}`);
    assert.equal(anonymous.status, 200);
    const landing = await anonymous.text();
    assert.ok(landing.includes(invite.code));
    assert.match(landing, /Sign in/);
    const seeker = await newSeeker(t.kv, t.app.deps.clock);
    const seekerLanding = await (await t.fetch(`/invite/${invite.code}`, as(seeker))).text();
    assert.match(seekerLanding, /RedeemInvite/);
    assert.doesNotMatch(seekerLanding, /MutualMatchNotification/);

    const matches = await (await t.fetch("/matches", as(alice))).text();
    assert.ok(matches.includes(`/members/${carol.profileId}`));
    assert.ok(!matches.includes(`/members/${bob.profileId}`));
    const bobMatches = await (await t.fetch("/matches", as(bob))).text();
    assert.match(bobMatches, /One member has signalled you in secret/);
    assert.ok(!bobMatches.includes("Alicia"));
  });
});

Deno.test("[social pages] a member's page offers SignalButton in the viewer's state, within the JS budget", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const carol = await memberWithProfile(t, { displayName: "Carolina" });
    await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    const stateOn = async (viewer: typeof alice, profileId: string) => {
      const res = await t.fetch(`/members/${profileId}`, as(viewer));
      const html = await res.text();
      return {
        res,
        html,
        state: html.match(new RegExp(`data-state="(\\w+)" data-profile="${profileId}"`))?.[1],
      };
    };
    assert.equal((await stateOn(alice, bob.profileId)).state, "sent");
    assert.equal((await stateOn(bob, alice.profileId)).state, "none", "signals stay secret");
    assert.equal((await stateOn(alice, carol.profileId)).state, "none");
    await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
    const matched = await stateOn(alice, bob.profileId);
    assert.equal(matched.state, "matched");
    const own = await stateOn(alice, alice.profileId);
    assert.equal(own.state, undefined, "no signal to yourself");
    const bytes = await shippedJs(t, matched.res, matched.html);
    assert.ok(bytes > 0 && bytes <= 12 * 1024, `a member's page ships ${bytes} B gzip`);
    // A full first page of cards, each with its SignalButton props in the payload.
    for (let i = 0; i < 24; i++) await memberWithProfile(t, { displayName: `Member ${i}` });
    const vault = await t.fetch("/vault", as(alice));
    const vaultBytes = await shippedJs(t, vault, await vault.text());
    const cards = (await (await t.fetch("/vault", as(alice))).text()).match(
      /data-testid="vault-card"/g,
    );
    console.log(
      `JS gzip: member page ${bytes} B, vault with ${cards?.length} cards ${vaultBytes} B`,
    );
    assert.ok(vaultBytes <= 12 * 1024, `the vault ships ${vaultBytes} B gzip`);
  });
});
