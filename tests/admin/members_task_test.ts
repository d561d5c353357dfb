import assert from "node:assert/strict";
import { createInvite, listWarnings } from "@/core/social/mod.ts";
import { createManualClock, systemClock } from "@/core/clock.ts";
import { DEV_PERSONAS, listWalletSessions } from "@/core/auth/mod.ts";
import { getMember } from "@/core/members.ts";
import { reportMember } from "@/core/social/mod.ts";
import { createProfile } from "@/core/profiles/mod.ts";
import { post, signInAs, testApp, withCookie } from "@/tests/auth_http/helpers.ts";
import { recordMainPhotoIn } from "@/tests/profiles/_helpers.ts";
import { runAdminTask, tempCircle } from "./_helpers.ts";

const invitee = DEV_PERSONAS.find((persona) => persona.id === "invitee")!;
const keyholder = DEV_PERSONAS.find((persona) => persona.id === "keyholder")!;

/** The real app on the circle's KV file (so the tasks and the app share one store). */
async function appOn(kvPath: string) {
  const kv = await Deno.openKv(kvPath);
  const t = await testApp({}, { kv });
  return {
    ...t,
    kv,
    close: async () => {
      await t.close();
      kv.close();
    },
  };
}

Deno.test("[admin] member:suspend signs the member out over HTTP and refuses a new sign-in; unsuspend lets them back", async () => {
  const circle = await tempCircle();
  const t = await appOn(circle.kvPath);
  try {
    const cookie = await signInAs(t, "invitee");
    const before = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(before.status, 200);
    await before.body?.cancel();

    const dry = await runAdminTask("member:suspend", [invitee.wallet, "--dry-run"], circle.env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would suspend .*sessions to revoke: 1/);
    assert.equal((await getMember(t.kv, invitee.wallet))!.suspension, null);

    const run = await runAdminTask(
      "member:suspend",
      [invitee.wallet.toUpperCase().replace("0X", "0x"), "--reason", "spam"],
      circle.env,
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /suspended .*sessions revoked: 1/);
    assert.deepEqual(await listWalletSessions(t.kv, invitee.wallet), []);

    const after = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(after.status, 401);
    await after.body?.cancel();
    const vault = await t.fetch("/api/signals/received", withCookie(cookie));
    assert.ok(vault.status === 401 || vault.status === 403, `got ${vault.status}`);
    await vault.body?.cancel();

    const again = await t.fetch("/api/auth/dev", post({ persona: "invitee" }));
    assert.equal(again.status, 403);
    const body = await again.json();
    assert.equal(body.error?.code ?? body.code, "member_suspended");
    assert.match(JSON.stringify(body), /suspended/);

    const show = await runAdminTask("member:show", [invitee.wallet], circle.env);
    assert.equal(show.code, 0, show.stderr);
    const overview = JSON.parse(show.stdout);
    assert.equal(overview.suspension.reason, "spam");
    assert.equal(overview.sessions.live, 0);
    assert.ok(!/nullifier|ipHash|idHash/i.test(show.stdout));

    const lift = await runAdminTask("member:unsuspend", [invitee.wallet], circle.env);
    assert.equal(lift.code, 0, lift.stderr);
    const back = await t.fetch("/api/auth/dev", post({ persona: "invitee" }));
    assert.equal(back.status, 200);
    await back.body?.cancel();
  } finally {
    await t.close();
    await circle.remove();
  }
});

Deno.test("[admin] a session of a member suspended behind its back gets a plain 403", async () => {
  const circle = await tempCircle();
  const t = await appOn(circle.kvPath);
  try {
    const cookie = await signInAs(t, "keyholder");
    // Suspend without revoking (as a sign-in racing the suspension would leave it).
    const { setSuspension } = await import("@/core/members.ts");
    await setSuspension(t.kv, systemClock, keyholder.wallet, "test");
    const res = await t.fetch("/api/auth/session", withCookie(cookie));
    assert.equal(res.status, 403);
    assert.match(await res.text(), /member_suspended/);
    const page = await t.fetch("/vault", withCookie(cookie));
    assert.equal(page.status, 403);
    assert.match(await page.text(), /membership is suspended/);
  } finally {
    await t.close();
    await circle.remove();
  }
});

Deno.test("[admin] member tasks refuse bad input with exit 2 and change nothing", async () => {
  const circle = await tempCircle();
  const kv = await Deno.openKv(circle.kvPath);
  kv.close();
  try {
    const cases: [string, string[], RegExp][] = [
      ["member:show", [], /give one member|argument/],
      ["member:show", ["nobody"], /wallet address .* or a profile id/],
      ["member:show", [`0x${"9".repeat(40)}`], /No member/],
      ["member:suspend", [invitee.wallet, "--bogus"], /bogus/],
      ["invites:grant", [invitee.wallet, "zero"], /whole number/],
      ["invites:grant", [invitee.wallet, "0"], /at least 1/],
    ];
    for (const [task, args, message] of cases) {
      const run = await runAdminTask(task, args, circle.env);
      assert.equal(run.code, 2, `${task} ${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stderr.trim().split("\n").length, 1, run.stderr);
    }
    const missing = await runAdminTask("member:show", [invitee.wallet], {
      ...circle.env,
      KV_PATH: `${circle.dir}/absent.kv`,
    });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /no KV store/);
    const help = await runAdminTask("member:suspend", ["--help"], circle.env);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--reason/);
  } finally {
    await circle.remove();
  }
});

Deno.test("[admin] invites:grant raises the member's active-invite limit", async () => {
  const circle = await tempCircle();
  const t = await appOn(circle.kvPath);
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  try {
    await (await t.fetch("/api/auth/dev", post({ persona: "keyholder" }))).body?.cancel();
    for (let i = 0; i < 3; i++) await createInvite(t.kv, clock, keyholder.wallet);
    await assert.rejects(createInvite(t.kv, clock, keyholder.wallet), /3 active invite codes/);

    const dry = await runAdminTask(
      "invites:grant",
      [keyholder.wallet, "2", "--dry-run"],
      circle.env,
    );
    assert.equal(dry.code, 0, dry.stderr);
    await assert.rejects(createInvite(t.kv, clock, keyholder.wallet));

    const run = await runAdminTask("invites:grant", [keyholder.wallet, "2"], circle.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /active limit 5/);
    await createInvite(t.kv, clock, keyholder.wallet);
    await createInvite(t.kv, clock, keyholder.wallet);
    await assert.rejects(createInvite(t.kv, clock, keyholder.wallet), /5 active invite codes/);
  } finally {
    await t.close();
    await circle.remove();
  }
});

Deno.test("[admin] reports:resolve warns (shown on the vault page), suspends or dismisses", async () => {
  const circle = await tempCircle();
  const t = await appOn(circle.kvPath);
  const clock = createManualClock(Date.now());
  try {
    await (await t.fetch("/api/auth/dev", post({ persona: "keyholder" }))).body?.cancel();
    const cookie = await signInAs(t, "invitee");
    const profile = await createProfile({ kv: t.kv, clock }, invitee.wallet, {
      displayName: "Ines",
      dateOfBirth: "2000-05-05",
      university: "Sciences Po",
      graduationYear: new Date().getUTCFullYear(),
      vibeTags: ["poet", "chess", "hiker"],
      gender: "woman",
      interestedIn: ["everyone"],
      region: "europe",
    });
    await recordMainPhotoIn(t.kv, profile);
    const reports = [];
    // One open report per reporter and member: three reporters.
    const reporters = [keyholder.wallet, `0x${"a1".repeat(20)}`, `0x${"b2".repeat(20)}`];
    for (const [i, reason] of ["spam", "harassment", "other"].entries()) {
      reports.push(
        await reportMember(t.kv, clock, {
          reporter: reporters[i],
          reported: invitee.wallet,
          reason,
          text: `about ${reason}`,
        }),
      );
    }
    const bad = await runAdminTask(
      "reports:resolve",
      [reports[0].id, "--action", "ban"],
      circle.env,
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--action: must be dismiss, warn or suspend/);
    const unknown = await runAdminTask(
      "reports:resolve",
      ["01ARZ3NDEKTSV4RRFFQ69G5FAV", "--action", "dismiss"],
      circle.env,
    );
    assert.equal(unknown.code, 2);

    const warn = await runAdminTask(
      "reports:resolve",
      [reports[0].id, "--action", "warn", "--note", "No token sales in the vault."],
      circle.env,
    );
    assert.equal(warn.code, 0, warn.stderr);
    const [warning] = await listWarnings(t.kv, invitee.wallet);
    assert.equal(warning.note, "No token sales in the vault.");
    assert.equal(warning.reportId, reports[0].id);
    const vault = await t.fetch("/vault", withCookie(cookie));
    assert.equal(vault.status, 200);
    assert.match(
      await vault.text(),
      /A warning from the circle(?:'|&#39;)s admins: No token sales in the vault\./,
    );

    const dismiss = await runAdminTask(
      "reports:resolve",
      [reports[2].id, "--action", "dismiss"],
      circle.env,
    );
    assert.equal(dismiss.code, 0, dismiss.stderr);
    const twice = await runAdminTask(
      "reports:resolve",
      [reports[2].id, "--action", "dismiss"],
      circle.env,
    );
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /already resolved/);

    const suspend = await runAdminTask(
      "reports:resolve",
      [reports[1].id, "--action", "suspend"],
      circle.env,
    );
    assert.equal(suspend.code, 0, suspend.stderr);
    assert.ok((await getMember(t.kv, invitee.wallet))!.suspension);

    const list = await runAdminTask("reports", ["--json"], circle.env);
    assert.deepEqual(JSON.parse(list.stdout).reports, []);
  } finally {
    await t.close();
    await circle.remove();
  }
});
