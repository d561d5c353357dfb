import assert from "node:assert/strict";
import { as, call, form, memberWithProfile, withSocialApp } from "./_helpers.ts";

Deno.test("[unmatch form] ending a match from /matches works without JavaScript", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t, { displayName: "Alicia", contactHandle: "@alicia" });
    const bob = await memberWithProfile(t, { displayName: "Bartholomew" });
    const carol = await memberWithProfile(t, { displayName: "Carolina" });
    await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    assert.equal(
      (await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId })).body.status,
      "matched",
    );
    const matchId = (await call(t, "GET", "/api/signals/mutual", bob)).body.matches[0].matchId;

    const page = await (await t.fetch("/matches", as(bob))).text();
    assert.match(page, /data-testid="unmatch-open"/);
    assert.match(page, new RegExp(`name="matchId" value="${matchId}"`));

    // Bad input and other members' matches change nothing.
    const empty = await t.fetch("/matches", as(bob, form({ matchId: "" })));
    assert.equal(empty.status, 400);
    assert.match(await empty.text(), /Choose a match to end\./);
    const notMine = await t.fetch("/matches", as(carol, form({ matchId })));
    assert.equal(notMine.status, 404);
    assert.match(await notMine.text(), /That match has already ended\./);
    assert.equal((await call(t, "GET", "/api/signals/mutual", alice)).body.matches.length, 1);

    const crossInit = as(bob, form({ matchId }));
    (crossInit.headers as Headers).set("origin", "https://evil.example");
    const crossSite = await t.fetch("/matches", crossInit);
    assert.equal(crossSite.status, 403, "a cross-site form post is refused");
    await crossSite.body?.cancel();
    assert.equal((await call(t, "GET", "/api/signals/mutual", alice)).body.matches.length, 1);

    const ended = await t.fetch("/matches", as(bob, form({ matchId })));
    assert.equal(ended.status, 303);
    assert.equal(ended.headers.get("location"), "/matches?unmatched=1");
    await ended.body?.cancel();
    for (const member of [alice, bob]) {
      assert.deepEqual((await call(t, "GET", "/api/signals/mutual", member)).body.matches, []);
    }
    const veiled = await call(t, "GET", `/api/profiles/${alice.profileId}`, bob);
    assert.equal(veiled.body.contactHandle, undefined, "the profile is limited again");
    const after = await (await t.fetch("/matches?unmatched=1", as(bob))).text();
    assert.match(after, /data-testid="matches-notice"/);
    assert.doesNotMatch(after, /data-testid="match"/);

    const again = await t.fetch("/matches", as(bob, form({ matchId })));
    assert.equal(again.status, 404, "a second post finds no match");
    await again.body?.cancel();
  });
});
