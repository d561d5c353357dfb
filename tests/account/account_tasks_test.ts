import assert from "node:assert/strict";
import { getMember } from "@/core/members.ts";
import { testApp } from "@/tests/auth_http/helpers.ts";
import { allObjectKeys } from "@/tests/profiles_http/_helpers.ts";
import { randomWallet } from "@/tests/events/helpers.ts";
import { runAdminTask, tempCircle } from "@/tests/admin/_helpers.ts";
import { dumpKv, entangled, mentioning } from "./_helpers.ts";

const APP_SECRET = "s".repeat(48);

Deno.test("[account] member:export and member:delete as subprocesses: bad input exits 2 and changes nothing", async () => {
  const circle = await tempCircle();
  const kv = await Deno.openKv(circle.kvPath);
  const t = await testApp({ APP_SECRET, DATA_DIR: circle.dir }, { kv });
  const env = { ...circle.env, APP_SECRET };
  try {
    const { ada, bo } = await entangled(t);
    const before = await dumpKv(kv);

    const refusals: [string[], Record<string, string>, RegExp][] = [
      [["0x123"], env, /argument 1: must be a wallet address/],
      [[randomWallet()], env, /No member 0x/],
      [[], env, /give one member/],
      [[ada.wallet, "--force"], env, /Unknown option '--force'/],
      [[ada.wallet], circle.env, /set APP_SECRET to the server's secret/],
    ];
    for (const [args, runEnv, message] of refusals) {
      const run = await runAdminTask("member:delete", args, runEnv);
      assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
      assert.match(run.stderr, message);
      assert.equal(run.stdout, "");
    }
    const dry = await runAdminTask("member:delete", [ada.profileId, "--dry-run"], env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(
      dry.stdout,
      new RegExp(`would delete ${ada.wallet}: profile ${ada.profileId}, photos 1`),
    );
    assert.deepEqual(await dumpKv(kv), before, "refusals and the dry run change nothing");

    const badExport = await runAdminTask("member:export", ["nobody"], env);
    assert.equal(badExport.code, 2);
    const out = `${circle.dir}/ada.json`;
    const exported = await runAdminTask("member:export", [ada.wallet, "--out", out], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.match(exported.stdout, /wrote the data of 0x/);
    const data = JSON.parse(await Deno.readTextFile(out));
    assert.equal(data.profile.id, ada.profileId);
    assert.equal(data.matches[0].withProfileId, bo.profileId);
    assert.ok(!JSON.stringify(data).includes(bo.wallet));
    const stdout = await runAdminTask("member:export", [ada.profileId], env);
    assert.equal(JSON.parse(stdout.stdout).member.wallet, ada.wallet);

    const run = await runAdminTask("member:delete", [ada.wallet], env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`deleted ${ada.wallet}: profile ${ada.profileId}, photos 1`),
    );
    assert.equal(await getMember(kv, ada.wallet), null);
    const left = mentioning(await dumpKv(kv), [ada.wallet, ada.profileId, ...ada.photoIds])
      .filter((key) => !key.startsWith('["vector_changes"'));
    assert.deepEqual(left, []);
    const objects = await allObjectKeys(t.app.deps.objects);
    assert.ok(!objects.some((key) => key.includes(ada.profileId)));
    assert.ok(objects.some((key) => key.includes(bo.profileId)));

    const again = await runAdminTask("member:delete", [ada.wallet], env);
    assert.equal(again.code, 2, "a deleted member is unknown");
  } finally {
    await t.app.deps.objects.close();
    await t.close();
    kv.close();
    await circle.remove();
  }
});
