import assert from "node:assert/strict";
import { BadRequestError, ConflictError, ForbiddenError } from "@/core/errors.ts";
import {
  createProfile,
  getProfile,
  needsDetails,
  updateProfile,
} from "@/core/profiles/profiles.ts";
import { ageOn, InvalidProfileError } from "@/core/profiles/schema.ts";
import { admittedMember, memberWithProfile, NOW, validInput, withWorld } from "./_helpers.ts";

/** Each case: the input change and the field the error must name. */
const INVALID_CASES: [string, Record<string, unknown>][] = [
  ["displayName", { displayName: "" }],
  ["displayName", { displayName: "x".repeat(41) }],
  ["displayName", { displayName: "Ada\nLovelace" }],
  ["displayName", { displayName: "A\u202eda" }],
  ["displayName", { displayName: undefined }],
  ["bio", { bio: "b".repeat(501) }],
  ["bio", { bio: 42 }],
  ["university", { university: "X" }],
  ["graduationYear", { graduationYear: 2031.5 }],
  ["graduationYear", { graduationYear: 1900 }],
  ["graduationYear", { graduationYear: "2031" }],
  ["dateOfBirth", { dateOfBirth: "2005-02-30" }],
  ["dateOfBirth", { dateOfBirth: "02/03/2005" }],
  ["dateOfBirth", { dateOfBirth: "1900-01-01" }],
  ["vibeTags", { vibeTags: ["night_owl", "chess"] }],
  ["vibeTags", { vibeTags: Array(9).fill(0).map((_, i) => ["memes", "poet", "chess"][i % 3]) }],
  ["vibeTags", { vibeTags: ["night_owl", "chess", "chess"] }],
  ["vibeTags.1", { vibeTags: ["night_owl", "astrology_guru", "chess"] }],
  ["prompts", {
    prompts: ["secret_talent", "green_flag", "ask_me_about", "two_truths"].map((promptId) => ({
      promptId,
      answer: "a",
    })),
  }],
  ["prompts", {
    prompts: [{ promptId: "green_flag", answer: "a" }, { promptId: "green_flag", answer: "b" }],
  }],
  ["prompts.0.promptId", { prompts: [{ promptId: "favourite_colour", answer: "gold" }] }],
  ["prompts.0.answer", { prompts: [{ promptId: "green_flag", answer: "   " }] }],
  ["prompts.0.answer", { prompts: [{ promptId: "green_flag", answer: "a".repeat(201) }] }],
  ["preferences.ageRange.max", { preferences: { ageRange: { min: 30, max: 25 } } }],
  ["preferences.ageRange.min", { preferences: { ageRange: { min: 16, max: 25 } } }],
  ["preferences.graduationYears.0", { preferences: { graduationYears: [1850] } }],
  ["preferences.tags.0", { preferences: { tags: ["unicorn"] } }],
  ["preferences.universities.0", { preferences: { universities: [""] } }],
  ["contactHandle", { contactHandle: "has spaces in it" }],
  ["contactHandle", { contactHandle: "x" }],
  ["hidden", { hidden: "yes" }],
  ["wallet", { wallet: "0x0000000000000000000000000000000000000001" }],
];

for (const [field, change] of INVALID_CASES) {
  Deno.test(`[profiles] invalid ${field} (${JSON.stringify(change).slice(0, 60)}) → 400 naming it`, async () => {
    await withWorld(async (world) => {
      const wallet = await admittedMember(world.kv, world.clock);
      const error = await createProfile(world, wallet, validInput(change)).then(
        () => assert.fail("accepted"),
        (e) => e,
      );
      assert.ok(error instanceof BadRequestError, String(error));
      assert.ok(error instanceof InvalidProfileError);
      assert.equal(error.code, "invalid_profile");
      assert.ok(error.message.startsWith(`${field}: `), error.message);
      assert.ok(error.details.length >= 1);
      // Nothing was written.
      assert.equal((await Array.fromAsync(world.kv.list({ prefix: ["profiles"] }))).length, 0);
    });
  });
}

Deno.test("[profiles] every issue is listed in details, the first one named in the message", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const error = await createProfile(
      world,
      wallet,
      validInput({ displayName: "", bio: 1, contactHandle: " " }),
    ).catch((e) => e);
    assert.ok(error instanceof InvalidProfileError);
    assert.equal(error.message, "displayName: must not be empty");
    assert.deepEqual(error.details.map((d) => d.field), ["displayName", "bio", "contactHandle"]);
  });
});

Deno.test("[profiles] a missing required field says it is required", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    for (const field of ["gender", "interestedIn", "region"]) {
      const { [field]: _left, ...input } = validInput();
      const error = await createProfile(world, wallet, input).catch((e) => e);
      assert.ok(error instanceof BadRequestError);
      assert.equal(error.message, `${field}: is required`);
    }
    assert.equal((await Array.fromAsync(world.kv.list({ prefix: ["profiles"] }))).length, 0);
  });
});

Deno.test("[profiles] gender, who they want to meet and region are closed lists; city is trimmed text", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const refused: [Record<string, unknown>, string][] = [
      [{ gender: "robot" }, "gender: must be woman, man or non_binary"],
      [{ gender: 1 }, "gender: must be woman, man or non_binary"],
      [{ interestedIn: [] }, "interestedIn: choose at least one"],
      [{ interestedIn: "everyone" }, "interestedIn: must be a list of genders"],
      [{ interestedIn: ["man", "man"] }, "interestedIn: must not repeat an entry"],
      [{ interestedIn: ["aliens"] }, "interestedIn.0: must be woman, man, non_binary or everyone"],
      [{ region: "mars" }, "region: must be one of the listed regions"],
      [{ region: "51.5,-0.1" }, "region: must be one of the listed regions"],
      [{ city: "x".repeat(61) }, "city: must be at most 60 characters"],
      [{ city: "Paris\nLyon" }, "city: must be a single line"],
      [{ university: "X" }, "university: must be empty or at least 2 characters"],
    ];
    for (const [overrides, message] of refused) {
      const error = await createProfile(world, wallet, validInput(overrides)).catch((e) => e);
      assert.ok(error instanceof BadRequestError, JSON.stringify(overrides));
      assert.equal(error.message, message);
    }
    const profile = await createProfile(
      world,
      wallet,
      validInput({ city: "  Lisbon ", interestedIn: ["non_binary", "woman"] }),
    );
    assert.equal(profile.city, "Lisbon");
    assert.deepEqual(profile.interestedIn, ["woman", "non_binary"]);
    assert.equal(profile.region, "europe");
  });
});

Deno.test("[profiles] 'everyone' with genders beside it is stored as everyone", async () => {
  await withWorld(async (world) => {
    const { profile } = await memberWithProfile(world, { interestedIn: ["man", "everyone"] });
    assert.deepEqual(profile.interestedIn, ["everyone"]);
  });
});

Deno.test("[profiles] a profile stored before the details were asked reads back without them", async () => {
  await withWorld(async (world) => {
    const { profile } = await memberWithProfile(world);
    const { gender: _g, interestedIn: _i, city: _c, region: _r, ...old } = profile;
    await world.kv.set(["profiles", profile.id], old);
    const read = await getProfile(world, profile.id);
    assert.ok(read);
    assert.equal(read.gender, null);
    assert.deepEqual(read.interestedIn, []);
    assert.equal(read.city, "");
    assert.equal(read.region, null);
    assert.equal(needsDetails(read), true);
    assert.equal(needsDetails(profile), false);
  });
});

Deno.test("[profiles] under-18 is rejected the day before the 18th birthday, accepted on it", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const input = validInput({ dateOfBirth: "2012-06-16" }); // 18 on 2030-06-16
    world.clock.set(Date.UTC(2030, 5, 15, 23, 59, 59));
    const error = await createProfile(world, wallet, input).catch((e) => e);
    assert.ok(error instanceof BadRequestError);
    assert.equal(error.message, "dateOfBirth: you must be at least 18 years old");
    world.clock.set(Date.UTC(2030, 5, 16, 0, 0, 0));
    const profile = await createProfile(world, wallet, input);
    assert.equal(ageOn(profile.dateOfBirth, world.clock.now()), 18);
  });
});

Deno.test("[profiles] a 29 February birthday turns 18 on 1 March in a common year", () => {
  assert.equal(ageOn("2012-02-29", Date.UTC(2030, 1, 28)), 17);
  assert.equal(ageOn("2012-02-29", Date.UTC(2030, 2, 1)), 18);
  assert.equal(ageOn("2012-02-29", Date.UTC(2032, 1, 29)), 20);
});

Deno.test("[profiles] create applies defaults and trims text", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const profile = await createProfile(world, wallet, {
      displayName: "  Ada ",
      dateOfBirth: "2005-03-02",
      gender: "woman",
      interestedIn: ["man"],
      region: "europe",
      vibeTags: ["memes", "poet", "chess"],
    });
    assert.equal(profile.displayName, "Ada");
    assert.equal(profile.university, "");
    assert.equal(profile.graduationYear, null);
    assert.equal(profile.city, "");
    assert.equal(profile.bio, "");
    assert.deepEqual(profile.prompts, []);
    assert.deepEqual(profile.preferences.ageRange, { min: 18, max: 100 });
    assert.equal(profile.contactHandle, null);
    assert.equal(profile.hidden, false);
    assert.equal(profile.createdAt, NOW);
    assert.match(profile.id, /^[0-9A-HJKMNP-TV-Z]{26}$/);
    assert.notEqual(profile.id.toLowerCase(), wallet);
  });
});

Deno.test("[profiles] one profile per member, also under concurrency", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => createProfile(world, wallet, validInput())),
    );
    const created = attempts.filter((a) => a.status === "fulfilled");
    const refused = attempts.filter((a) => a.status === "rejected");
    assert.equal(created.length, 1);
    assert.equal(refused.length, 7);
    for (const r of refused) {
      assert.ok(r.reason instanceof ConflictError);
      assert.equal(r.reason.code, "profile_exists");
    }
    assert.equal((await Array.fromAsync(world.kv.list({ prefix: ["profiles"] }))).length, 1);
    const index = await world.kv.get(["profiles_by_wallet", wallet]);
    assert.equal(index.value, (created[0] as PromiseFulfilledResult<{ id: string }>).value.id);
  });
});

Deno.test("[profiles] only admitted members create profiles", async () => {
  await withWorld(async (world) => {
    const error = await createProfile(world, "0x" + "ab".repeat(20), validInput()).catch((e) => e);
    assert.ok(error instanceof ForbiddenError);
    assert.equal(error.code, "membership_required");
  });
});

Deno.test("[profiles] update is partial, own only, validated, and read back at once", async () => {
  await withWorld(async (world) => {
    const { wallet, profile } = await memberWithProfile(world);
    const other = await admittedMember(world.kv, world.clock);
    assert.equal((await getProfile(world, profile.id))?.bio, profile.bio);
    world.clock.advance(1000);
    const updated = await updateProfile(world, {
      profileId: profile.id,
      wallet: wallet.toUpperCase().replace("0X", "0x"),
      input: { bio: "New bio", hidden: true },
    });
    assert.equal(updated.bio, "New bio");
    assert.equal(updated.hidden, true);
    assert.equal(updated.displayName, profile.displayName);
    assert.equal(updated.updatedAt, NOW + 1000);
    assert.equal((await getProfile(world, profile.id))?.bio, "New bio");

    const forbidden = await updateProfile(world, {
      profileId: profile.id,
      wallet: other,
      input: { bio: "pwned" },
    }).catch((e) => e);
    assert.ok(forbidden instanceof ForbiddenError);
    assert.equal(forbidden.code, "profile_not_owner");

    const invalid = await updateProfile(world, {
      profileId: profile.id,
      wallet,
      input: { graduationYear: 3000 },
    }).catch((e) => e);
    assert.ok(invalid instanceof BadRequestError);
    assert.match(invalid.message, /^graduationYear: /);
    const unknown = await updateProfile(world, {
      profileId: profile.id,
      wallet,
      input: { photos: [] },
    }).catch((e) => e);
    assert.equal(unknown.message, "photos: is not a profile field");
    assert.equal((await getProfile(world, profile.id))?.bio, "New bio");
  });
});

Deno.test("[profiles] a bio keeps line breaks (CRLF normalized) and emoji with joiners", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const profile = await createProfile(
      world,
      wallet,
      validInput({ bio: "line one\r\nline two 👩‍💻" }),
    );
    assert.equal(profile.bio, "line one\nline two 👩‍💻");
  });
});

Deno.test("[profiles] display names are NFC and refuse zero-width characters and lone surrogates", async () => {
  await withWorld(async (world) => {
    const wallet = await admittedMember(world.kv, world.clock);
    const refused: [string, RegExp][] = [
      ["Ad\u200ba", /^displayName: must not contain zero-width characters/],
      ["Ad\u200ca", /^displayName: must not contain zero-width characters/],
      ["A\u200dda", /^displayName: must not contain zero-width characters/],
      ["Ad\u2060a", /^displayName: must not contain zero-width characters/],
      ["\ufeffAda", /^displayName: must not contain zero-width characters/],
      ["Ada\ufeff", /^displayName: must not contain zero-width characters/],
      ["Ada\ud800", /^displayName: must be valid Unicode text/],
      ["\udc00Ada", /^displayName: must be valid Unicode text/],
    ];
    for (const [displayName, message] of refused) {
      const error = await createProfile(world, wallet, validInput({ displayName })).then(
        () => assert.fail(`accepted ${JSON.stringify(displayName)}`),
        (e) => e,
      );
      assert.ok(error instanceof InvalidProfileError, String(error));
      assert.equal(error.details[0].field, "displayName");
      assert.match(error.message, message, JSON.stringify(displayName));
    }
    const profile = await createProfile(world, wallet, validInput({ displayName: "Zoe\u0301" }));
    assert.equal(profile.displayName, "Zo\u00e9");
  });
});
