import assert from "node:assert/strict";
import {
  as,
  block,
  countEntries,
  createProfileOver,
  match,
  newMember,
  sendJson,
  validInput,
  withApp,
  yearsAgo,
} from "./_helpers.ts";

/** Asserts a JSON error response: status, content type, code, and the field the message names. */
async function assertError(res: Response, status: number, code: string, field?: string) {
  assert.equal(res.status, status);
  assert.match(res.headers.get("content-type") ?? "", /application\/json/);
  const { error } = await res.json();
  assert.equal(error.code, code, JSON.stringify(error));
  if (field) assert.ok(error.message.startsWith(`${field}:`), `${error.message} names ${field}`);
  return error;
}

const FORBIDDEN_KEYS = /"(wallet|nullifier\w*|dateOfBirth)"|0x[0-9a-f]{40}/i;

Deno.test("[profiles http] create, read own, update, delete", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    await assertError(await t.fetch("/api/profiles/me", as(ada)), 404, "profile_not_found");

    const res = await t.fetch("/api/profiles", sendJson("POST", validInput(), ada));
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /application\/json/);
    const text = await res.text();
    assert.doesNotMatch(text, FORBIDDEN_KEYS);
    const { profile } = JSON.parse(text);
    assert.equal(profile.displayName, "Ada");
    assert.equal(profile.contactHandle, "@ada_l");
    assert.equal(profile.hidden, false);
    assert.deepEqual(profile.badges, { worldId: "orb", gateNft: true, invite: false });
    assert.equal(typeof profile.age, "number");

    const me = await t.fetch("/api/profiles/me", as(ada));
    assert.equal(me.status, 200);
    assert.deepEqual(await me.json(), profile);
    const self = await t.fetch(`/api/profiles/${profile.id}`, as(ada));
    assert.deepEqual(await self.json(), profile, "GET /:id of yourself is the owner view");

    await assertError(
      await t.fetch("/api/profiles", sendJson("POST", validInput(), ada)),
      409,
      "profile_exists",
    );

    const put = await t.fetch(
      `/api/profiles/${profile.id}`,
      sendJson("PUT", { bio: "Updated.", hidden: true }, ada),
    );
    assert.equal(put.status, 200);
    const updated = await put.json();
    assert.equal(updated.bio, "Updated.");
    assert.equal(updated.hidden, true);
    assert.equal(updated.displayName, "Ada", "a partial update keeps other fields");
    assert.equal(await countEntries(t.kv, ["hidden_members"]), 1, "signals see the hidden flag");

    const del = await t.fetch(`/api/profiles/${profile.id}`, as(ada, { method: "DELETE" }));
    assert.equal(del.status, 204);
    await assertError(await t.fetch("/api/profiles/me", as(ada)), 404, "profile_not_found");
    assert.equal(await countEntries(t.kv, ["profiles"]), 0);
    assert.equal(await countEntries(t.kv, ["profiles_by_wallet"]), 0);
    assert.equal(await countEntries(t.kv, ["hidden_members"]), 0);
  });
});

const INVALID: [string, Record<string, unknown>][] = [
  ["displayName", { displayName: "" }],
  ["displayName", { displayName: "x".repeat(41) }],
  ["displayName", { displayName: "two\nlines" }],
  ["dateOfBirth", { dateOfBirth: "2001-02-30" }],
  ["dateOfBirth", { dateOfBirth: 20010101 }],
  ["university", { university: "X" }],
  ["gender", { gender: "robot" }],
  ["interestedIn", { interestedIn: [] }],
  ["interestedIn.0", { interestedIn: ["robots"] }],
  ["city", { city: "c".repeat(61) }],
  ["region", { region: "51.5,-0.12" }],
  ["graduationYear", { graduationYear: 2031.5 }],
  ["graduationYear", { graduationYear: 1900 }],
  ["bio", { bio: "b".repeat(501) }],
  ["vibeTags", { vibeTags: ["night_owl"] }],
  ["vibeTags.0", { vibeTags: ["not_a_tag", "bookworm", "chess"] }],
  ["vibeTags", { vibeTags: ["chess", "chess", "bookworm"] }],
  ["prompts.0.promptId", { prompts: [{ promptId: "nope", answer: "x" }] }],
  ["prompts.0.answer", { prompts: [{ promptId: "secret_talent", answer: "" }] }],
  ["preferences.ageRange.max", { preferences: { ageRange: { min: 30, max: 20 } } }],
  ["preferences.tags.0", { preferences: { tags: ["nope"] } }],
  ["contactHandle", { contactHandle: "has spaces in it" }],
  ["hidden", { hidden: "yes" }],
  ["wallet", { wallet: "0x0000000000000000000000000000000000000001" }],
];

Deno.test("[profiles http] every invalid field is a 400 naming the field; nothing is stored", async () => {
  await withApp(async (t) => {
    const ada = await newMember(t);
    for (const [field, overrides] of INVALID) {
      const res = await t.fetch("/api/profiles", sendJson("POST", validInput(overrides), ada));
      const error = await assertError(res, 400, "invalid_profile", field);
      assert.equal(error.details[0].field, field);
    }
    // Missing required fields are each named in details.
    const res = await t.fetch("/api/profiles", sendJson("POST", {}, ada));
    const error = await assertError(res, 400, "invalid_profile");
    assert.deepEqual(
      error.details.map((d: { field: string }) => d.field),
      ["displayName", "dateOfBirth", "gender", "interestedIn", "region", "vibeTags"],
    );
    // Not JSON at all.
    await assertError(
      await t.fetch("/api/profiles", {
        ...sendJson("POST", {}, ada),
        headers: { ...sendJson("POST", {}, ada).headers, "content-type": "text/plain" },
      }),
      415,
      "expected_json",
    );
    assert.equal(await countEntries(t.kv, ["profiles"]), 0);

    // The same rules apply to updates.
    const profile = await createProfileOver(t, ada);
    for (const [field, overrides] of INVALID) {
      const res = await t.fetch(`/api/profiles/${profile.id}`, sendJson("PUT", overrides, ada));
      await assertError(res, 400, "invalid_profile", field);
    }
  });
});

Deno.test("[profiles http] under-18 is rejected on create and on update; 18 today is accepted", async () => {
  await withApp(async (t) => {
    const now = t.app.deps.clock.now();
    const ada = await newMember(t);
    const young = yearsAgo(now, 18, -1); // 18 tomorrow
    const res = await t.fetch(
      "/api/profiles",
      sendJson("POST", validInput({ dateOfBirth: young }), ada),
    );
    const error = await assertError(res, 400, "invalid_profile", "dateOfBirth");
    assert.match(error.message, /at least 18/);
    const profile = await createProfileOver(t, ada, { dateOfBirth: yearsAgo(now, 18) });
    assert.equal(profile.age, 18);
    await assertError(
      await t.fetch(`/api/profiles/${profile.id}`, sendJson("PUT", { dateOfBirth: young }, ada)),
      400,
      "invalid_profile",
      "dateOfBirth",
    );
  });
});

Deno.test("[profiles http] another member's profile: limited view, full after a match, never editable", async () => {
  await withApp(async (t) => {
    const [ada, bo, cy] = [await newMember(t), await newMember(t), await newMember(t)];
    const adaProfile = await createProfileOver(t, ada);
    await createProfileOver(t, bo, { displayName: "Bo" });

    const limited = await t.fetch(`/api/profiles/${adaProfile.id}`, as(bo));
    assert.equal(limited.status, 200);
    const text = await limited.text();
    assert.doesNotMatch(text, FORBIDDEN_KEYS);
    const view = JSON.parse(text);
    assert.equal(view.displayName, "Ada");
    assert.equal(view.matched, false);
    for (const key of ["contactHandle", "preferences", "hidden"]) assert.ok(!(key in view), key);

    // Editing or deleting someone else's profile: 403, and nothing changes.
    await assertError(
      await t.fetch(`/api/profiles/${adaProfile.id}`, sendJson("PUT", { bio: "pwned" }, bo)),
      403,
      "profile_not_owner",
    );
    await assertError(
      await t.fetch(`/api/profiles/${adaProfile.id}`, as(bo, { method: "DELETE" })),
      403,
      "profile_not_owner",
    );
    const photoOrder = sendJson("PUT", { order: [] }, bo);
    await assertError(
      await t.fetch(`/api/profiles/${adaProfile.id}/photos/order`, photoOrder),
      403,
      "profile_not_owner",
    );
    assert.equal((await (await t.fetch("/api/profiles/me", as(ada))).json()).bio, adaProfile.bio);

    // After a mutual match: the full view with the contact handle, still no settings.
    await match(t, ada, bo);
    const full = await (await t.fetch(`/api/profiles/${adaProfile.id}`, as(bo))).json();
    assert.equal(full.matched, true);
    assert.equal(full.contactHandle, "@ada_l");
    assert.ok(!("preferences" in full));

    // Hidden: gone for a non-matched member, still there for the match.
    await t.fetch(`/api/profiles/${adaProfile.id}`, sendJson("PUT", { hidden: true }, ada));
    await assertError(
      await t.fetch(`/api/profiles/${adaProfile.id}`, as(cy)),
      404,
      "profile_not_found",
    );
    assert.equal((await t.fetch(`/api/profiles/${adaProfile.id}`, as(bo))).status, 200);

    // Blocked either way: 404.
    await block(t, ada, bo);
    await assertError(
      await t.fetch(`/api/profiles/${adaProfile.id}`, as(bo)),
      404,
      "profile_not_found",
    );
    await assertError(
      await t.fetch("/api/profiles/01ARZ3NDEKTSV4RRFFQ69G5FAV", as(bo)),
      404,
      "profile_not_found",
    );
  });
});

Deno.test("[profiles http] discovery pages over HTTP: every visible profile once, filters, bad queries", async () => {
  await withApp(async (t) => {
    const viewer = await newMember(t);
    await createProfileOver(t, viewer, { preferences: { universities: [] } });
    const now = t.app.deps.clock.now();
    const others = [];
    for (let i = 0; i < 9; i++) {
      const member = await newMember(t);
      const profile = await createProfileOver(t, member, {
        displayName: `Member ${i}`,
        dateOfBirth: yearsAgo(now, 20 + i),
        university: i % 2 ? "Oxford" : "Imperial College London",
        vibeTags: i % 3 ? ["night_owl", "bookworm", "chess"] : ["hiker", "foodie", "gamer"],
        hidden: i === 4,
      });
      others.push({ member, profile });
    }
    await block(t, others[7].member, viewer);

    const seen: string[] = [];
    let cursor = "";
    let pages = 0;
    do {
      const res = await t.fetch(`/api/profiles?limit=2&cursor=${cursor}`, as(viewer));
      assert.equal(res.status, 200);
      const page = await res.json();
      assert.ok(page.values.length <= 2);
      assert.doesNotMatch(JSON.stringify(page), FORBIDDEN_KEYS);
      for (const view of page.values) {
        assert.ok(!("contactHandle" in view));
        seen.push(view.displayName);
      }
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 20);
    const expected = others.filter((_, i) => i !== 4 && i !== 7).map((o) => o.profile.displayName);
    assert.deepEqual(
      seen,
      expected,
      "each visible profile once, in order; no self, hidden, blocked",
    );

    const names = async (query: string) =>
      (await (await t.fetch(`/api/profiles?${query}`, as(viewer))).json()).values.map(
        (v: { displayName: string }) => v.displayName,
      );
    assert.deepEqual(await names("university=Oxford"), ["Member 1", "Member 3", "Member 5"]);
    assert.deepEqual(await names("ageMin=25&ageMax=26"), ["Member 5", "Member 6"]);
    assert.deepEqual(await names("tag=hiker"), ["Member 0", "Member 3", "Member 6"]);
    assert.deepEqual(await names("tag=hiker&university=Oxford"), ["Member 3"]);

    for (
      const [query, code, field] of [
        ["limit=0", "invalid_query", "limit"],
        ["limit=abc", "invalid_query", "limit"],
        ["ageMin=17", "invalid_query", "ageMin"],
        ["year=soon", "invalid_query", "year.0"],
        ["cursor=not-a-cursor", "invalid_cursor", "cursor"],
        ["tag=nope", "invalid_filters", "filters.tags.0"],
        ["ageMin=40&ageMax=30", "invalid_filters", "filters.ageRange.max"],
      ]
    ) {
      await assertError(await t.fetch(`/api/profiles?${query}`, as(viewer)), 400, code, field);
    }
  });
});
