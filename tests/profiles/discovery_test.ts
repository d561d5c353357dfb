import assert from "node:assert/strict";
import { BadRequestError } from "@/core/errors.ts";
import {
  discoveryFiltersSchema,
  filterParamOf,
  filterQuerySchema,
  listProfiles,
} from "@/core/profiles/discovery.ts";
import { updateProfile } from "@/core/profiles/profiles.ts";
import type { PublicProfileView, RelationCheck } from "@/core/profiles/views.ts";
import { memberWithProfile, withWorld, type World } from "./_helpers.ts";

const never: RelationCheck = () => false;

/** Pages through discovery for `viewer` until the cursor runs out; `between` runs after each page. */
async function allPages(
  world: World,
  viewer: string,
  options: { limit: number; isBlocked?: RelationCheck; filters?: unknown },
  between?: (page: number) => Promise<void>,
) {
  const seen: PublicProfileView[] = [];
  let cursor = "";
  let pages = 0;
  do {
    const page = await listProfiles({ ...world, isBlocked: options.isBlocked ?? never }, {
      viewer,
      cursor,
      limit: options.limit,
      filters: options.filters,
    });
    assert.ok(page.values.length <= options.limit);
    seen.push(...page.values);
    cursor = page.cursor;
    pages++;
    await between?.(pages);
    assert.ok(pages < 100, "pagination does not end");
  } while (cursor);
  return { seen, pages };
}

Deno.test("[profiles] discovery leaves out self, hidden and blocked; pages are complete without duplicates", async () => {
  await withWorld(async (world) => {
    const viewer = await memberWithProfile(world);
    const others: Awaited<ReturnType<typeof memberWithProfile>>[] = [];
    for (let i = 0; i < 23; i++) {
      others.push(await memberWithProfile(world, { displayName: `M${i}` }));
    }
    const hidden = await memberWithProfile(world, { hidden: true });
    const blocker = await memberWithProfile(world);
    const blocked = await memberWithProfile(world);
    const isBlocked: RelationCheck = (a, b) =>
      [a, b].includes(blocked.wallet) && [a, b].includes(viewer.wallet) ||
      (a === blocker.wallet && b === viewer.wallet) ||
      (b === blocker.wallet && a === viewer.wallet);

    const { seen, pages } = await allPages(world, viewer.wallet, { limit: 5, isBlocked });
    const ids = seen.map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length, "duplicates");
    assert.deepEqual(ids, others.map((o) => o.profile.id)); // complete, in creation order
    assert.ok(!ids.includes(viewer.profile.id));
    assert.ok(!ids.includes(hidden.profile.id));
    assert.ok(!ids.includes(blocked.profile.id) && !ids.includes(blocker.profile.id));
    assert.ok(pages >= 5);
    for (const view of seen) {
      assert.ok(!JSON.stringify(view).includes("0x"), "a wallet leaked into discovery");
      assert.equal("contactHandle" in view, false);
    }
  });
});

Deno.test("[profiles] discovery pagination is stable while profiles are created and edited", async () => {
  await withWorld(async (world) => {
    const viewer = await memberWithProfile(world);
    const initial: Awaited<ReturnType<typeof memberWithProfile>>[] = [];
    for (let i = 0; i < 12; i++) initial.push(await memberWithProfile(world));
    const added: string[] = [];
    const { seen } = await allPages(world, viewer.wallet, { limit: 4 }, async (page) => {
      if (page > 2) return;
      for (let i = 0; i < 3; i++) {
        world.clock.advance(1);
        added.push((await memberWithProfile(world)).profile.id);
      }
      await updateProfile(world, {
        profileId: initial[0].profile.id,
        wallet: initial[0].wallet,
        input: { bio: "edited" },
      });
    });
    const ids = seen.map((v) => v.id);
    assert.equal(new Set(ids).size, ids.length, "duplicates");
    for (const { profile } of initial) assert.ok(ids.includes(profile.id), "skipped a profile");
    for (const id of added) assert.ok(ids.includes(id), "a new profile never appeared");
    assert.deepEqual(ids, [...ids].sort());
  });
});

Deno.test("[profiles] discovery applies the viewer's preferences, and explicit filters override them", async () => {
  await withWorld(async (world) => {
    const viewer = await memberWithProfile(world, {
      preferences: {
        universities: ["imperial college london"],
        graduationYears: [2031, 2032],
        ageRange: { min: 20, max: 26 },
        tags: ["chess", "poet"],
      },
    });
    const fits = await memberWithProfile(world, { dateOfBirth: "2006-01-01" }); // 24, chess
    const tooYoung = await memberWithProfile(world, { dateOfBirth: "2012-01-01" }); // 18
    const tooOld = await memberWithProfile(world, { dateOfBirth: "1990-01-01" }); // 40
    const elsewhere = await memberWithProfile(world, { university: "ETH Zürich" });
    const laterYear = await memberWithProfile(world, { graduationYear: 2034 });
    const otherTags = await memberWithProfile(world, { vibeTags: ["memes", "gamer", "foodie"] });
    const poet = await memberWithProfile(world, { vibeTags: ["memes", "gamer", "poet"] });

    const preferred = (await allPages(world, viewer.wallet, { limit: 10 })).seen.map((v) => v.id);
    assert.deepEqual(preferred, [fits.profile.id, poet.profile.id]);

    const overridden = (await allPages(world, viewer.wallet, {
      limit: 10,
      filters: { universities: [], tags: [], ageRange: { min: 18, max: 100 } },
    })).seen.map((v) => v.id);
    assert.deepEqual(overridden, [
      fits.profile.id,
      tooYoung.profile.id,
      tooOld.profile.id,
      elsewhere.profile.id,
      otherTags.profile.id,
      poet.profile.id,
    ]);
    assert.ok(!overridden.includes(laterYear.profile.id)); // graduation years still preferred
  });
});

Deno.test("[profiles] discovery rejects bad filters, cursors and limits naming them", async () => {
  await withWorld(async (world) => {
    const viewer = await memberWithProfile(world);
    const deps = { ...world, isBlocked: never };
    const badFilter = await listProfiles(deps, {
      viewer: viewer.wallet,
      filters: { ageRange: { min: 40, max: 20 } },
    }).catch((e) => e);
    assert.ok(badFilter instanceof BadRequestError);
    assert.equal(badFilter.code, "invalid_filters");
    assert.match(badFilter.message, /^filters\.ageRange\.max: /);
    const badCursor = await listProfiles(deps, { viewer: viewer.wallet, cursor: "../x" })
      .catch((e) => e);
    assert.equal(badCursor.code, "invalid_cursor");
    const badLimit = await listProfiles(deps, { viewer: viewer.wallet, limit: 500 })
      .catch((e) => e);
    assert.equal(badLimit.code, "invalid_limit");
  });
});

Deno.test("[profiles] discovery filters from query parameters: one schema, issues on the parameter", () => {
  const now = Date.UTC(2026, 5, 1);
  assert.deepEqual(
    filterQuerySchema.parse({ ageMin: "25", university: ["Oxford"], year: ["2027"], tag: [] }),
    { ageRange: { min: 25, max: 100 }, universities: ["Oxford"], graduationYears: [2027] },
  );
  const param = (raw: Record<string, unknown>) => {
    const result = discoveryFiltersSchema(now).safeParse(raw);
    assert.ok(!result.success, JSON.stringify(raw));
    const [issue] = result.error.issues;
    return [filterParamOf(issue.path), issue.message];
  };
  // The parameter's form, then the filter's value; either way the parameter it came from.
  assert.deepEqual(param({ ageMin: "abc" }), ["ageMin", "must be an age"]);
  assert.deepEqual(param({ ageMin: "17" }), ["ageMin", "must be at least 18"]);
  assert.deepEqual(param({ ageMin: "40", ageMax: "30" }), ["ageMax", "min must not exceed max"]);
  assert.deepEqual(param({ year: ["soon"] }), ["year", "must be a year"]);
  assert.deepEqual(param({ year: ["1900"] }), ["year", "must be 1966 or later"]);
  assert.deepEqual(param({ university: ["O"] }), ["university", "must be at least 2 characters"]);
  assert.deepEqual(param({ tag: ["nope"] }), ["tag", "must be one of the curated vibe tags"]);
});

Deno.test("[profiles] discovery shows only members each wants to meet, both ways; no gender, no one", async () => {
  await withWorld(async (world) => {
    const viewer = await memberWithProfile(world, { gender: "woman", interestedIn: ["man"] });
    const shown = [
      await memberWithProfile(world, {
        displayName: "M-w",
        gender: "man",
        interestedIn: ["woman"],
      }),
      await memberWithProfile(world, { displayName: "M-all", gender: "man" }),
    ];
    const left: string[] = [];
    for (
      const [gender, interestedIn] of [
        ["man", ["man"]], // viewer wants him, he does not want her
        ["woman", ["man"]], // not who the viewer wants to meet
        ["non_binary", ["everyone"]], // wants the viewer, the viewer does not want them
        ["woman", ["everyone"]],
      ] as const
    ) {
      const other = await memberWithProfile(world, { gender, interestedIn });
      left.push(other.profile.id);
    }
    // A profile made before the details were asked (no gender) is shown to no one.
    const legacy = await memberWithProfile(world, { gender: "man", interestedIn: ["woman"] });
    const { gender: _g, interestedIn: _i, region: _r, ...old } = legacy.profile;
    await world.kv.set(["profiles", legacy.profile.id], old);

    const { seen } = await allPages(world, viewer.wallet, { limit: 2 });
    assert.deepEqual(seen.map((v) => v.id).sort(), shown.map((m) => m.profile.id).sort());
    assert.ok(!seen.some((v) => left.includes(v.id) || v.id === legacy.profile.id));
    // The public view shows city and region, never gender or who they want to meet.
    assert.equal(seen[0].city, "London");
    assert.equal(seen[0].region, "europe");
    assert.ok(!("gender" in seen[0]) && !("interestedIn" in seen[0]));

    // Widening the viewer's interests widens what they see, still only those who want them.
    await updateProfile(world, {
      profileId: viewer.profile.id,
      wallet: viewer.wallet,
      input: { interestedIn: ["everyone"] },
    });
    const wider = (await allPages(world, viewer.wallet, { limit: 10 })).seen.map((v) => v.id);
    assert.deepEqual(wider.sort(), [...shown.map((m) => m.profile.id), left[2], left[3]].sort());

    // The legacy member sees no one until they give their details.
    assert.deepEqual((await allPages(world, legacy.wallet, { limit: 10 })).seen, []);
  });
});
