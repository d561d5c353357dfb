import assert from "node:assert/strict";
import { testApp } from "@/tests/auth_http/helpers.ts";
import { call, memberWithProfile, withSocialApp } from "./_helpers.ts";
import { REPORT_RATE_LIMIT, REPORT_TEXT_MAX } from "@/core/social/mod.ts";

Deno.test("[safety http] block hides both ways and ends a match; unblock; signals refused", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t);
    const bob = await memberWithProfile(t);
    await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
    assert.equal((await call(t, "GET", "/api/signals/mutual", alice)).body.matches.length, 1);
    const blocked = await call(t, "POST", "/api/safety/block", alice, { profileId: bob.profileId });
    assert.equal(blocked.status, 200);
    assert.deepEqual(Object.keys(blocked.body).sort(), ["blocked", "profileId"]);
    for (const [viewer, other] of [[alice, bob], [bob, alice]]) {
      assert.equal((await call(t, "GET", "/api/signals/mutual", viewer)).body.matches.length, 0);
      assert.equal(
        (await call(t, "GET", `/api/profiles/${other.profileId}`, viewer)).status,
        404,
        "the profile is hidden both ways",
      );
    }
    assert.equal((await call(t, "GET", "/api/signals/received", alice)).body.count, 0);
    const bobSends = await call(t, "POST", "/api/signals/send", bob, { to: alice.profileId });
    assert.equal(bobSends.status, 404);
    const aliceSends = await call(t, "POST", "/api/signals/send", alice, { to: bob.profileId });
    assert.equal(aliceSends.status, 403);
    assert.equal(
      (await call(t, "DELETE", `/api/safety/block/${bob.profileId}`, alice)).status,
      204,
    );
    assert.equal((await call(t, "GET", `/api/profiles/${bob.profileId}`, alice)).status, 200);
    assert.equal(
      (await call(t, "POST", "/api/safety/block", alice, { profileId: "nope" })).status,
      404,
    );
    assert.equal(
      (await call(t, "POST", "/api/safety/block", alice, { profileId: alice.profileId })).status,
      400,
    );
  });
});

Deno.test("[safety http] a report over HTTP appears in `deno task reports` (temp KV file)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "aurum-reports-" });
  const path = `${dir}/app.kv`;
  const kv = await Deno.openKv(path);
  const t = await testApp({}, { kv });
  try {
    const alice = await memberWithProfile(t);
    const bob = await memberWithProfile(t);
    const bad = await call(t, "POST", "/api/safety/report", alice, {
      profileId: bob.profileId,
      reason: "nonsense",
      text: "",
    });
    assert.equal(bad.status, 400);
    const report = await call(t, "POST", "/api/safety/report", alice, {
      profileId: bob.profileId,
      reason: "fake_profile",
      text: "Photos lifted from a magazine shoot",
    });
    assert.equal(report.status, 201);
    kv.close();
    const task = new URL("../../tasks/reports.ts", import.meta.url).pathname;
    const { code, stdout } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", task, `--kv=${path}`, "--json"],
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "inherit",
    }).output();
    assert.equal(code, 0);
    const body = JSON.parse(new TextDecoder().decode(stdout));
    assert.equal(body.reports.length, 1);
    assert.equal(body.reports[0].id, report.body.id);
    assert.equal(body.reports[0].reason, "fake_profile");
    assert.equal(body.reports[0].text, "Photos lifted from a magazine shoot");
    assert.equal(body.reports[0].reported, bob.wallet);
  } finally {
    await t.close();
    try {
      kv.close();
    } catch { /* closed above */ }
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("[safety http] reports: the text limit is the core's, one open per member, rate limited", async () => {
  await withSocialApp(async (t) => {
    const alice = await memberWithProfile(t);
    const bob = await memberWithProfile(t);
    const longest = await call(t, "POST", "/api/safety/report", alice, {
      profileId: bob.profileId,
      reason: "spam",
      text: "x".repeat(REPORT_TEXT_MAX),
    });
    assert.equal(longest.status, 201);
    const again = await call(t, "POST", "/api/safety/report", alice, {
      profileId: bob.profileId,
      reason: "harassment",
    });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, "report_already_open");
    assert.match(again.body.error.message, /already reported this member/);

    const carol = await memberWithProfile(t);
    const tooLong = await call(t, "POST", "/api/safety/report", carol, {
      profileId: bob.profileId,
      reason: "spam",
      text: "x".repeat(REPORT_TEXT_MAX + 1),
    });
    assert.equal(tooLong.status, 400);
    assert.match(tooLong.body.error.message, /text: must be at most 1,000 characters/);

    const statuses: number[] = [];
    for (let i = 0; i <= REPORT_RATE_LIMIT.limit; i++) {
      const other = await memberWithProfile(t);
      const res = await call(t, "POST", "/api/safety/report", carol, {
        profileId: other.profileId,
        reason: "spam",
      });
      statuses.push(res.status);
      if (res.status === 429) assert.equal(res.body.error.code, "rate_limited");
    }
    assert.deepEqual(statuses, [...Array(REPORT_RATE_LIMIT.limit).fill(201), 429]);
  });
});
