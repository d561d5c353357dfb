import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { as, call, form, memberWithProfile, withSocialApp } from "./_helpers.ts";

const DAY = 24 * 60 * 60 * 1000;

Deno.test("[safety http] blocking and unblocking each member reveals nothing about who signalled", async () => {
  const clock = createManualClock(Date.UTC(2030, 2, 10, 9, 30));
  await withSocialApp(async (t) => {
    const bea = await memberWithProfile(t);
    const others = [];
    for (let i = 0; i < 4; i++) others.push(await memberWithProfile(t));
    const [xavi, yara] = others;
    for (const sender of [xavi, yara]) {
      clock.advance(7 * 60 * 1000);
      const sent = await call(t, "POST", "/api/signals/send", sender, { to: bea.profileId });
      assert.equal(sent.status, 200);
    }
    const received = () => t.fetch("/api/signals/received", as(bea)).then((res) => res.text());
    const before = await received();
    assert.equal(JSON.parse(before).count, 2);
    const sentBy = await Promise.all(others.map((m) => call(t, "GET", "/api/signals/sent", m)));
    for (const other of others) {
      const blocked = await call(t, "POST", "/api/safety/block", bea, {
        profileId: other.profileId,
      });
      assert.equal(blocked.status, 200);
      assert.equal(await received(), before, "after blocking");
      const unblocked = await call(t, "DELETE", `/api/safety/block/${other.profileId}`, bea);
      assert.equal(unblocked.status, 204);
      assert.equal(await received(), before, "after unblocking");
    }
    // The senders are not told either.
    const sentAfter = await Promise.all(others.map((m) => call(t, "GET", "/api/signals/sent", m)));
    assert.deepEqual(sentAfter.map((r) => r.body), sentBy.map((r) => r.body));
    const again = await call(t, "POST", "/api/signals/send", xavi, { to: bea.profileId });
    assert.equal(again.status, 200);
    assert.equal(again.body.status, "already_sent");
    assert.equal((await call(t, "GET", "/api/signals/mutual", bea)).body.matches.length, 0);
    for (const time of JSON.parse(before).times) assert.equal(time % DAY, 0, "times are UTC days");
  }, { clock });
});

Deno.test("[safety http] block and unblock are rate limited per member", async () => {
  await withSocialApp(async (t) => {
    const bea = await memberWithProfile(t);
    const xavi = await memberWithProfile(t);
    const other = await memberWithProfile(t);
    let status = 0;
    let retryAfter: string | null = null;
    for (let i = 0; i < 30 && status !== 429; i++) {
      const res = i % 2
        ? await call(t, "DELETE", `/api/safety/block/${xavi.profileId}`, bea)
        : await call(t, "POST", "/api/safety/block", bea, { profileId: xavi.profileId });
      status = res.status;
      retryAfter = res.headers.get("retry-after");
      if (status !== 429) assert.ok(status === 200 || status === 204, `${status}`);
    }
    assert.equal(status, 429);
    assert.ok(Number(retryAfter) > 0);
    // The block form on a member's page counts against the same limit.
    const byForm = await t.fetch(`/members/${xavi.profileId}`, as(bea, form({ action: "block" })));
    await byForm.body?.cancel();
    assert.equal(byForm.status, 429);
    // The limit is per member.
    const own = await call(t, "POST", "/api/safety/block", other, { profileId: xavi.profileId });
    assert.equal(own.status, 200);
  });
});
