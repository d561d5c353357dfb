import assert from "node:assert/strict";
import { listReports } from "@/core/social/safety.ts";
import { as, call, form, memberWithProfile, withSocialApp } from "./_helpers.ts";

Deno.test("[safety forms] report and block from a member's page work without JavaScript", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t);
    const bob = await memberWithProfile(t);
    const page = await t.fetch(`/members/${bob.profileId}`, as(alice));
    const html = await page.text();
    assert.match(html, /data-testid="safety"/);
    assert.match(html, /<form method="post"/);
    const own = await (await t.fetch(`/members/${alice.profileId}`, as(alice))).text();
    assert.doesNotMatch(own, /data-testid="safety"/, "no report/block on your own page");

    const bad = await t.fetch(
      `/members/${bob.profileId}`,
      as(alice, form({ action: "report", reason: "vibes" })),
    );
    assert.equal(bad.status, 400);
    assert.match(await bad.text(), /Choose a reason from the list\./);
    assert.equal((await listReports(t.kv, {})).values.length, 0, "nothing stored");

    const reported = await t.fetch(
      `/members/${bob.profileId}`,
      as(alice, form({ action: "report", reason: "spam", text: "Sells followers." })),
    );
    assert.equal(reported.status, 303);
    assert.equal(reported.headers.get("location"), `/members/${bob.profileId}?reported=1`);
    const reports = (await listReports(t.kv, {})).values;
    assert.equal(reports.length, 1);
    assert.equal(reports[0].reason, "spam");
    assert.equal(reports[0].text, "Sells followers.");
    assert.equal(reports[0].reporter, alice.wallet);
    const thanks = await t.fetch(`/members/${bob.profileId}?reported=1`, as(alice));
    assert.match(await thanks.text(), /data-testid="safety-notice"/);

    const crossInit = as(alice, form({ action: "block" }));
    (crossInit.headers as Headers).set("origin", "https://evil.example");
    const crossSite = await t.fetch(`/members/${bob.profileId}`, crossInit);
    assert.equal(crossSite.status, 403, "a cross-site form post is refused");
    await crossSite.body?.cancel();

    const blocked = await t.fetch(
      `/members/${bob.profileId}`,
      as(alice, form({ action: "block" })),
    );
    assert.equal(blocked.status, 303);
    assert.equal(blocked.headers.get("location"), "/vault?blocked=1");
    for (const [viewer, other] of [[alice, bob], [bob, alice]]) {
      const res = await t.fetch(`/members/${other.profileId}`, as(viewer));
      assert.equal(res.status, 404, "hidden both ways");
      await res.body?.cancel();
      assert.equal((await call(t, "GET", `/api/profiles/${other.profileId}`, viewer)).status, 404);
    }

    const notForm = await t.fetch(`/members/${bob.profileId}`, {
      ...as(alice),
      method: "POST",
      headers: {
        ...Object.fromEntries(new Headers(as(alice).headers)),
        "content-type": "text/plain",
      },
      body: "action=block",
    });
    assert.equal(notForm.status, 415);
    await notForm.body?.cancel();
  });
});
