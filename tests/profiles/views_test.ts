import assert from "node:assert/strict";
import { ForbiddenError, NotFoundError } from "@/core/errors.ts";
import { getMember } from "@/core/members.ts";
import {
  badgesFor,
  deleteProfile,
  fullView,
  getProfile,
  isProfileComplete,
  loadProfileView,
  publicView,
  type RelationCheck,
  updateProfile,
} from "@/core/profiles/profiles.ts";
import { admittedMember, memberWithProfile, withWorld, type World } from "./_helpers.ts";

/** Matches and blocks as pair sets, standing in for the signals module. */
function relations() {
  const pairs = { matched: new Set<string>(), blocked: new Set<string>() };
  const key = (a: string, b: string) => [a, b].sort().join("|");
  const check = (set: Set<string>): RelationCheck => (a, b) => set.has(key(a, b));
  return {
    isMatched: check(pairs.matched),
    isBlocked: check(pairs.blocked),
    match: (a: string, b: string) => pairs.matched.add(key(a, b)),
    block: (a: string, b: string) => pairs.blocked.add(key(a, b)),
  };
}

/** Secrets that no view may contain, for the owner of `wallet`. */
async function secretsOf(world: World, wallet: string, dateOfBirth: string) {
  const member = await getMember(world.kv, wallet);
  const nullifier = member!.worldId!.nullifierHash;
  return [
    wallet,
    wallet.slice(2),
    nullifier,
    nullifier.slice(2),
    dateOfBirth,
    "2005",
    "dateOfBirth",
  ];
}

Deno.test("[profiles] before a match the view has no wallet, nullifier, DOB or contact handle", async () => {
  await withWorld(async (world) => {
    const rel = relations();
    const { wallet, profile } = await memberWithProfile(world, { contactHandle: "@ada_secret" });
    const viewer = await admittedMember(world.kv, world.clock);
    const view = await loadProfileView({ ...world, ...rel }, { profileId: profile.id, viewer });
    const json = JSON.stringify(view);
    for (const secret of await secretsOf(world, wallet, profile.dateOfBirth)) {
      assert.ok(!json.toLowerCase().includes(secret.toLowerCase()), `view leaks ${secret}`);
    }
    assert.ok(!json.includes("ada_secret"));
    assert.ok(!json.includes("contactHandle"));
    assert.equal((view as { age: number }).age, 25);
    assert.equal(view.matched, false);
    assert.deepEqual(view.badges, { worldId: "orb", gateNft: true, invite: false });
    assert.throws(
      () => fullView(profile, { viewer, matched: false, now: world.clock.now() }),
      ForbiddenError,
    );
  });
});

Deno.test("[profiles] after a match the full view shows the contact handle, still no secrets", async () => {
  await withWorld(async (world) => {
    const rel = relations();
    const { wallet, profile } = await memberWithProfile(world, { contactHandle: "@ada_secret" });
    const viewer = await admittedMember(world.kv, world.clock);
    rel.match(viewer, wallet);
    const view = await loadProfileView({ ...world, ...rel }, { profileId: profile.id, viewer });
    const json = JSON.stringify(view);
    assert.ok(json.includes("@ada_secret"));
    assert.equal(view.matched, true);
    for (const secret of await secretsOf(world, wallet, profile.dateOfBirth)) {
      assert.ok(!json.toLowerCase().includes(secret.toLowerCase()), `view leaks ${secret}`);
    }
    assert.ok(!json.includes("preferences") && !json.includes("hidden"));
  });
});

Deno.test("[profiles] the owner sees settings but never their own wallet, nullifier or DOB", async () => {
  await withWorld(async (world) => {
    const rel = relations();
    const { wallet, profile } = await memberWithProfile(world);
    const view = await loadProfileView({ ...world, ...rel }, {
      profileId: profile.id,
      viewer: wallet,
    });
    const json = JSON.stringify(view);
    assert.ok(json.includes("preferences") && json.includes("contactHandle"));
    for (const secret of await secretsOf(world, wallet, profile.dateOfBirth)) {
      assert.ok(!json.toLowerCase().includes(secret.toLowerCase()), `view leaks ${secret}`);
    }
  });
});

Deno.test("[profiles] hidden and blocked profiles are not found by others", async () => {
  await withWorld(async (world) => {
    const rel = relations();
    const deps = { ...world, ...rel };
    const { wallet, profile } = await memberWithProfile(world, { hidden: true });
    const stranger = await admittedMember(world.kv, world.clock);
    const match = await admittedMember(world.kv, world.clock);
    rel.match(match, wallet);
    await assert.rejects(
      () => loadProfileView(deps, { profileId: profile.id, viewer: stranger }),
      NotFoundError,
    );
    assert.equal(
      (await loadProfileView(deps, { profileId: profile.id, viewer: match })).matched,
      true,
    );
    rel.block(wallet, match);
    await assert.rejects(
      () => loadProfileView(deps, { profileId: profile.id, viewer: match }),
      NotFoundError,
    );
    await assert.rejects(
      () => loadProfileView(deps, { profileId: "01ARZ3NDEKTSV4RRFFQ69G5FAV", viewer: match }),
      NotFoundError,
    );
  });
});

Deno.test("[profiles] completeness needs bio, a prompt and a photo; badges follow the member", async () => {
  await withWorld(async (world) => {
    const { wallet, profile } = await memberWithProfile(world);
    assert.equal(isProfileComplete(profile), false); // no photo yet
    const withPhoto = {
      ...profile,
      photos: [{
        id: "01ARZ3NDEKTSV4RRFFQ69G5FAV",
        createdAt: 0,
        width: 800,
        height: 600,
        renditions: {
          full: { width: 800, height: 600 },
          card: { width: 640, height: 480 },
          thumb: { width: 96, height: 72 },
        },
        soloFace: true,
      }],
    };
    assert.equal(isProfileComplete(withPhoto), true);
    assert.equal(isProfileComplete({ ...withPhoto, bio: "" }), false);
    const view = publicView(withPhoto, { viewer: "0x" + "1".repeat(40), matched: false, now: 0 });
    assert.deepEqual(view.photos, [{
      id: withPhoto.photos[0].id,
      blurred: true,
      width: 96,
      height: 72,
    }]);
    assert.deepEqual(badgesFor(null), { worldId: null, gateNft: false, invite: false });
    assert.deepEqual(badgesFor(await getMember(world.kv, wallet)), {
      worldId: "orb",
      gateNft: true,
      invite: false,
    });
  });
});

Deno.test("[profiles] delete is own only, removes record and index, and is read back at once", async () => {
  await withWorld(async (world) => {
    const { wallet, profile } = await memberWithProfile(world);
    const other = await admittedMember(world.kv, world.clock);
    assert.ok(await getProfile(world, profile.id));
    await assert.rejects(
      () => deleteProfile(world, { profileId: profile.id, wallet: other }),
      ForbiddenError,
    );
    assert.deepEqual(await deleteProfile(world, { profileId: profile.id, wallet }), {
      pendingCleanup: false,
    });
    assert.equal(await getProfile(world, profile.id), null);
    assert.equal((await world.kv.get(["profiles_by_wallet", wallet])).versionstamp, null);
    await assert.rejects(
      () => deleteProfile(world, { profileId: profile.id, wallet }),
      NotFoundError,
    );
  });
});

Deno.test("[profiles] reads come from KV, never from a copy left in the cache", async () => {
  await withWorld(async (world) => {
    const { wallet, profile } = await memberWithProfile(world);
    // A stale copy (still visible) under the key the profile cache used to have.
    await world.cache.set(`profiles:v1:${profile.id}`, JSON.stringify(profile), 60);
    await updateProfile(world, { profileId: profile.id, wallet, input: { hidden: true } });
    await world.cache.set(`profiles:v1:${profile.id}`, JSON.stringify(profile), 60);
    assert.equal((await getProfile(world, profile.id))?.hidden, true);
    await world.cache.set(`profiles:v1:${profile.id}`, "{not json", 60);
    assert.equal((await getProfile(world, profile.id))?.id, profile.id);
  });
});
