import assert from "node:assert/strict";
import { createVectorStore } from "@/core/discovery/mod.ts";
import { embeddingVector, readPhotoAnalysis } from "@/core/scoring/mod.ts";
import { loadConfig } from "@/core/config.ts";
import { listMutual, listReports } from "@/core/social/mod.ts";
import {
  getProfileByWallet,
  hasMainPhoto,
  mutuallyInterested,
  needsDetails,
} from "@/core/profiles/mod.ts";
import { systemClock } from "@/core/clock.ts";
import { listEvents } from "@/core/events/mod.ts";
import { getMember } from "@/core/members.ts";
import { createObjectStore } from "@/core/storage/mod.ts";
import { seedWallet } from "@/core/admin/mod.ts";
import { runAdminTask, tempCircle } from "./_helpers.ts";

Deno.test("[admin] seed builds a circle with photos through the product, refuses a second run without --force", async () => {
  const circle = await tempCircle();
  try {
    const dry = await runAdminTask("seed", ["--members", "6", "--dry-run"], circle.env);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /nothing was written/);

    const run = await runAdminTask("seed", ["--members", "6"], circle.env);
    assert.equal(run.code, 0, run.stderr);
    const kv = await Deno.openKv(circle.kvPath);
    const objects = createObjectStore(loadConfig(circle.env).storage);
    try {
      const wallets = await Promise.all([0, 1, 2, 3, 4, 5].map(seedWallet));
      for (const wallet of wallets) {
        const member = await getMember(kv, wallet);
        assert.ok(member?.membership.admitted && member.worldId);
        const profile = await getProfileByWallet({ kv, clock: systemClock }, wallet);
        assert.ok(profile && profile.photos.length >= 1, wallet);
        const key = `profiles/${profile.id}/photos/${profile.photos[0].id}/full.jpg`;
        assert.ok((await objects.head(key))?.size, key);
        // Seeded photos are analysed and indexed as uploads are.
        assert.ok(await readPhotoAnalysis(kv, profile.photos[0].id), `analysis of ${wallet}`);
        // Complete profiles with a main photo: the seeded app asks nothing more of them.
        assert.ok(!needsDetails(profile) && hasMainPhoto(profile), wallet);
      }
      // Varied genders and interests, and every seeded member is proposed to someone.
      const profiles = await Promise.all(
        wallets.map((wallet) => getProfileByWallet({ kv, clock: systemClock }, wallet)),
      );
      assert.ok(new Set(profiles.map((p) => p!.gender)).size >= 3);
      assert.ok(new Set(profiles.map((p) => p!.interestedIn.join())).size >= 3);
      for (const profile of profiles) {
        assert.ok(
          profiles.some((other) => other !== profile && mutuallyInterested(profile, other)),
          `${profile!.displayName} meets no one`,
        );
      }
      const vectors = createVectorStore(kv, {});
      try {
        const analysis = await readPhotoAnalysis(
          kv,
          (await getProfileByWallet(
            { kv, clock: systemClock },
            wallets[1],
          ))!.photos[0].id,
        );
        const found = await vectors.search({ vector: embeddingVector(analysis!), k: 3 });
        assert.ok(found.length > 0, "seeded photos are in the vector store");
      } finally {
        await vectors.close();
      }
      assert.equal((await getMember(kv, wallets[4]))!.membership.via, "invite");
      assert.equal((await listMutual(kv, wallets[0])).length, 1);
      assert.equal((await listReports(kv)).values.length, 1);
      const events = await listEvents(kv, systemClock, { when: "upcoming" });
      assert.equal(events.values.length, 2);
    } finally {
      kv.close();
      await objects.close();
    }

    const again = await runAdminTask("seed", ["--members", "6"], circle.env);
    assert.equal(again.code, 2);
    assert.match(again.stderr, /already has members.*--force/);
    const forced = await runAdminTask("seed", ["--members", "6", "--force"], circle.env);
    assert.equal(forced.code, 0, forced.stderr);
    const kv2 = await Deno.openKv(circle.kvPath);
    try {
      assert.equal((await listReports(kv2)).values.length, 1);
      assert.equal((await listEvents(kv2, systemClock, { when: "upcoming" })).values.length, 2);
    } finally {
      kv2.close();
    }
  } finally {
    await circle.remove();
  }
});

Deno.test("[admin] seed refuses production and bad arguments with exit 2", async () => {
  const circle = await tempCircle();
  try {
    const production = await runAdminTask("seed", [], { ...circle.env, AURUM_ENV: "production" });
    assert.equal(production.code, 2);
    assert.match(production.stderr, /refusing to seed demo data with AURUM_ENV=production/);
    const remote = await runAdminTask("seed", [], { ...circle.env, KV_PATH: "https://kv.example" });
    assert.equal(remote.code, 2);
    const bad = await runAdminTask("seed", ["--members", "many"], circle.env);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--members: must be a whole number/);
    const files = [];
    for await (const entry of Deno.readDir(circle.dir)) files.push(entry.name);
    assert.deepEqual(files, []);
  } finally {
    await circle.remove();
  }
});
