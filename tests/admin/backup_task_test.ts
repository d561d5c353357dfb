import assert from "node:assert/strict";
import { createManualClock } from "@/core/clock.ts";
import { createSession } from "@/core/auth/mod.ts";
import { bindNullifier, ensureMember, grantMembership } from "@/core/members.ts";
import { createProfile } from "@/core/profiles/mod.ts";
import { createInvite, reportMember, sendSignal } from "@/core/social/mod.ts";
import { createObjectStore } from "@/core/storage/mod.ts";
import { loadConfig } from "@/core/config.ts";
import { decodeValue, encodeValue } from "@/core/admin/mod.ts";
import { runAdminTask, tempCircle } from "./_helpers.ts";

const wallet = (n: number) => `0x${String(n).padStart(40, "a")}`;

async function allEntries(kv: Deno.Kv) {
  const entries: [Deno.KvKey, unknown][] = [];
  for await (const entry of kv.list({ prefix: [] })) entries.push([entry.key, entry.value]);
  return entries;
}

/** A store like a real circle's: members, profiles, signals, a match, invites, KvU64, bytes. */
async function buildCircle(kv: Deno.Kv) {
  const clock = createManualClock(Date.UTC(2030, 2, 1));
  for (let n = 1; n <= 4; n++) {
    await ensureMember(kv, clock, wallet(n));
    await bindNullifier(kv, clock, wallet(n), {
      nullifierHash: `0x${String(n).padStart(64, "0")}`,
      verificationLevel: "orb",
    });
    await grantMembership(kv, clock, wallet(n), { via: "gate_nft" });
    await createProfile({ kv, clock }, wallet(n), {
      displayName: `Member ${n}`,
      dateOfBirth: "1999-01-0" + n,
      university: "Trinity College Dublin",
      graduationYear: 2029,
      vibeTags: ["chess", "poet", "hiker"],
      gender: "woman",
      interestedIn: ["everyone"],
      region: "europe",
    });
  }
  await sendSignal(kv, clock, { from: wallet(1), to: wallet(2) });
  await sendSignal(kv, clock, { from: wallet(2), to: wallet(1) });
  await sendSignal(kv, clock, { from: wallet(3), to: wallet(1) });
  await createInvite(kv, clock, wallet(4));
  await reportMember(kv, clock, {
    reporter: wallet(1),
    reported: wallet(3),
    reason: "spam",
    text: "",
  });
  await createSession(kv, clock, { wallet: wallet(1), method: "dev" });
  await kv.set(["counters", "visits"], new Deno.KvU64(18_446_744_073_709_551_615n));
  await kv.atomic().sum(["counters", "signals"], 7n).commit();
  await kv.set(["blobs", new Uint8Array([0, 1, 255]), 42n, true, -1.5], {
    bytes: new Uint8Array([9, 8, 7]),
    big: -(2n ** 70n),
    at: new Date(Date.UTC(2031, 0, 1)),
    nested: [new Map([["k", new Set([1, 2])]]), undefined, null, NaN, -0, Infinity],
    $t: "a field named like the tag",
  });
}

Deno.test("[admin] encodeValue/decodeValue keep every KV value type", () => {
  const value = {
    a: new Uint8Array([1, 2]),
    b: 5n,
    c: new Deno.KvU64(3n),
    d: new Date(0),
    e: [undefined, -0, NaN],
    $t: "x",
  };
  const back = decodeValue(JSON.parse(JSON.stringify(encodeValue(value))));
  assert.deepEqual(back, value);
});

Deno.test("[admin] backup then restore into an empty KV gives back every key and value, objects included", async () => {
  const source = await tempCircle();
  const target = await tempCircle();
  try {
    const kv = await Deno.openKv(source.kvPath);
    await buildCircle(kv);
    kv.close();
    const objects = createObjectStore(loadConfig(source.env).storage);
    await objects.put("profiles/P1/photos/X/full.jpg", new Uint8Array([255, 216, 1, 2, 3]), {
      contentType: "image/jpeg",
      metadata: { rendition: "full" },
    });
    await objects.put("events/banner.png", new Uint8Array(3000).fill(7), {
      contentType: "image/png",
    });
    const out = `${source.dir}/backup/circle.ndjson`;
    const copies = `${source.dir}/backup/objects`;
    const run = await runAdminTask("backup", ["--out", out, "--with-objects", copies], source.env);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /backed up \d+ KV entries/);
    const lines = (await Deno.readTextFile(out)).trim().split("\n");
    assert.equal(JSON.parse(lines[0]).format, "aurum-circle-kv");
    await objects.close();
    const manifest = JSON.parse(await Deno.readTextFile(`${out}.objects.json`));
    assert.deepEqual(manifest.objects.map((o: { key: string; size: number }) => [o.key, o.size]), [
      ["events/banner.png", 3000],
      ["profiles/P1/photos/X/full.jpg", 5],
    ]);

    const again = await runAdminTask("backup", ["--out", out], source.env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /exists/);

    const dry = await runAdminTask("restore", ["--in", out, "--dry-run"], target.env);
    assert.equal(dry.code, 0, dry.stderr);
    const restore = await runAdminTask(
      "restore",
      ["--in", out, "--with-objects", copies],
      target.env,
    );
    assert.equal(restore.code, 0, restore.stderr);

    const [a, b] = [await Deno.openKv(source.kvPath), await Deno.openKv(target.kvPath)];
    try {
      const [before, after] = [await allEntries(a), await allEntries(b)];
      assert.equal(before.length, lines.length - 1);
      assert.deepEqual(after, before);
      const counter = after.find(([key]) => key[1] === "visits")![1];
      assert.ok(counter instanceof Deno.KvU64);
      const restored = createObjectStore(loadConfig(target.env).storage);
      const object = await restored.get("profiles/P1/photos/X/full.jpg");
      assert.deepEqual(
        new Uint8Array(await new Response(object!.body).arrayBuffer()),
        new Uint8Array([255, 216, 1, 2, 3]),
      );
      assert.equal(object!.contentType, "image/jpeg");
      assert.deepEqual(object!.metadata, { rendition: "full" });
      await restored.close();
    } finally {
      a.close();
      b.close();
    }

    const notEmpty = await runAdminTask("restore", ["--in", out], target.env);
    assert.equal(notEmpty.code, 2);
    assert.match(notEmpty.stderr, /not empty/);
  } finally {
    await source.remove();
    await target.remove();
  }
});

Deno.test("[admin] restore checks every line before writing anything", async () => {
  const circle = await tempCircle();
  try {
    const file = `${circle.dir}/bad.ndjson`;
    await Deno.writeTextFile(
      file,
      [
        JSON.stringify({ format: "aurum-circle-kv", version: 1, createdAt: 0 }),
        JSON.stringify({ key: ["a"], value: 1 }),
        "{not json",
      ].join("\n"),
    );
    const run = await runAdminTask("restore", ["--in", file], circle.env);
    assert.equal(run.code, 2);
    assert.match(run.stderr, /line 3/);
    const kv = await Deno.openKv(circle.kvPath);
    assert.deepEqual(await allEntries(kv), []);
    kv.close();
  } finally {
    await circle.remove();
  }
});
