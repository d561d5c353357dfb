import assert from "node:assert/strict";
import { getMember } from "@/core/members.ts";
import { as, withApp } from "@/tests/profiles_http/_helpers.ts";
import { form } from "@/tests/social_http/_helpers.ts";
import { entangled } from "./_helpers.ts";

Deno.test("[account] the profile page's data forms work without JavaScript", async () => {
  await withApp(async (t) => {
    const { ada } = await entangled(t);
    const page = await (await t.fetch("/profile/edit", as(ada))).text();
    assert.match(page, /data-testid="your-data"/);
    assert.match(page, /href="\/api\/me\/export"/);
    assert.match(
      page,
      /<form method="post" action="\/profile\/edit#your-data"[^>]*data-testid="delete-form"/,
    );

    const wrong = await t.fetch("/profile/edit", as(ada, form({ confirm: "yes" })));
    assert.equal(wrong.status, 400);
    assert.match(
      await wrong.text(),
      /data-testid="delete-error"[^>]*>Type “delete my account” to confirm\./,
    );
    assert.ok(await getMember(t.kv, ada.wallet), "nothing deleted");

    const crossInit = as(ada, form({ confirm: "delete my account" }));
    (crossInit.headers as Headers).set("origin", "https://evil.example");
    const crossSite = await t.fetch("/profile/edit", crossInit);
    assert.equal(crossSite.status, 403, "a cross-site form post is refused");
    await crossSite.body?.cancel();
    assert.ok(await getMember(t.kv, ada.wallet));

    const done = await t.fetch("/profile/edit", as(ada, form({ confirm: "delete my account" })));
    assert.equal(done.status, 303);
    assert.equal(done.headers.get("location"), "/?goodbye=1");
    assert.match(done.headers.get("set-cookie") ?? "", /^aurum_session=; .*Max-Age=0/);
    assert.equal(await getMember(t.kv, ada.wallet), null);

    const landing = await t.fetch("/?goodbye=1");
    assert.match(await landing.text(), /data-testid="goodbye"[^>]*>\s*Your account is deleted/);
  });
});
