/**
 * The vault's "Today's circle" and "Recommended" rows, their Pass form, and the "Similar photo
 * style" row of member pages, over HTTP on the real app (real face photos for the style row).
 */
import assert from "node:assert/strict";
import { as, form } from "@/tests/social_http/_helpers.ts";
import {
  demoPhoto,
  keysUnder,
  kvSnapshot,
  type Member,
  memberWithProfile,
  type TestApp,
  upload,
  withScoringApp,
} from "@/tests/scoring/_helpers.ts";
import { TODAY_SIZE } from "@/core/discovery/mod.ts";
import { recordMainPhoto } from "@/tests/profiles_http/_helpers.ts";

const page = async (t: TestApp, member: Member, path: string) => {
  const res = await t.fetch(path, as(member));
  assert.equal(res.status, 200, path);
  return await res.text();
};

/** The profile ids of the pick cards inside a vault row. */
function rowIds(html: string, row: "today" | "recommended"): string[] {
  const start = html.indexOf(`data-testid="vault-${row}"`);
  if (start < 0) return [];
  const end = html.indexOf("</section>", start);
  return [...html.slice(start, end).matchAll(/data-testid="pick-card" data-profile="([^"]+)"/g)]
    .map((m) => m[1]);
}

const pass = (t: TestApp, member: Member, fields: Record<string, string>) =>
  t.fetch("/vault/pass", as(member, form(fields)));

Deno.test("[vault rows] today's circle and recommended: other members only, no overlap, impressions recorded", async () => {
  await withScoringApp(async (t) => {
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    await recordMainPhoto(t, viewer);
    const others = [];
    for (let i = 0; i < TODAY_SIZE + 4; i++) {
      others.push(await memberWithProfile(t, { displayName: `Member ${i}` }));
    }
    const html = await page(t, viewer, "/vault");
    const today = rowIds(html, "today");
    const recommended = rowIds(html, "recommended");
    assert.equal(today.length, TODAY_SIZE);
    assert.ok(recommended.length > 0);
    assert.ok(!today.includes(viewer.profileId) && !recommended.includes(viewer.profileId));
    assert.deepEqual(today.filter((id) => recommended.includes(id)), [], "no card twice");
    const all = new Set(others.map((m) => m.profileId));
    for (const id of [...today, ...recommended]) assert.ok(all.has(id));
    // Each card carries a Signal island and a Pass form; the grid below is still there.
    assert.ok((html.match(/action="\/vault\/pass"/g)?.length ?? 0) >= today.length);
    assert.match(html, /data-testid="vault-grid"/);

    // The impressions: one page view holding both rows' cards (the grid records its own).
    const shown = new Set<string>();
    for await (
      const entry of t.app.deps.kv.list<{ profileIds: string[] }>({
        prefix: ["discovery_impressions", viewer.wallet],
      })
    ) entry.value.profileIds.forEach((id) => shown.add(id));
    for (const id of [...today, ...recommended]) assert.ok(shown.has(id), `impression of ${id}`);

    // Today's circle is the same set all day.
    assert.deepEqual(rowIds(await page(t, viewer, "/vault"), "today"), today);
    // With filters set, the vault shows the filtered grid only.
    assert.deepEqual(rowIds(await page(t, viewer, "/vault?tag=chess"), "today"), []);
  });
});

Deno.test("[vault rows] Pass by form: recorded like the API's pass, the card leaves both rows; bad input 4xx, nothing stored", async () => {
  await withScoringApp(async (t) => {
    const viewer = await memberWithProfile(t, { displayName: "Viewer" });
    await recordMainPhoto(t, viewer);
    for (let i = 0; i < 4; i++) await memberWithProfile(t, { displayName: `Member ${i}` });
    const [first] = rowIds(await page(t, viewer, "/vault"), "today");
    assert.ok(first);

    const res = await pass(t, viewer, { profileId: first, from: "today" });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/vault#today");
    const keys = await keysUnder(t.app.deps.kv, ["discovery_passes", viewer.wallet]);
    assert.deepEqual(keys.map((k) => k[2]), [first]);
    const after = await page(t, viewer, "/vault");
    assert.ok(!rowIds(after, "today").includes(first));
    assert.ok(!rowIds(after, "recommended").includes(first));

    const snapshot = await kvSnapshot(t.app.deps.kv);
    const refusals: [Record<string, string>, number][] = [
      [{}, 400],
      [{ profileId: "not a member" }, 400],
      [{ profileId: first, from: "elsewhere" }, 400],
      [{ profileId: viewer.profileId }, 400], // yourself
      [{ profileId: "01J00000000000000000000000" }, 404],
    ];
    for (const [fields, status] of refusals) {
      const refused = await pass(t, viewer, fields);
      assert.equal(refused.status, status, JSON.stringify(fields));
      const text = await refused.text();
      assert.doesNotMatch(text, /profileId|invalid_/, "plain words");
    }
    assert.deepEqual(await kvSnapshot(t.app.deps.kv), snapshot, "nothing stored");
  });
});

Deno.test("[similar row] a member's page shows members with a similar photo style who opted in, else nothing", async () => {
  await withScoringApp(async (t) => {
    const [viewer, target, near, shy] = [
      await memberWithProfile(t, { displayName: "Viewer" }),
      await memberWithProfile(t, { displayName: "Target" }),
      await memberWithProfile(t, { displayName: "Nearby" }),
      await memberWithProfile(t, { displayName: "Shy" }),
    ];
    await upload(t, target, await demoPhoto(1));
    await upload(t, near, await demoPhoto(2));
    await upload(t, shy, await demoPhoto(3));

    const before = await page(t, viewer, `/members/${target.profileId}`);
    assert.doesNotMatch(before, /data-testid="similar-style"/, "no one opted in: no row");

    const optIn = await t.fetch(
      "/profile/score",
      as(near, form({ action: "style", optIn: "true" })),
    );
    assert.equal(optIn.status, 303);
    assert.equal(optIn.headers.get("location"), "/profile/score?done=style-on");
    const html = await page(t, viewer, `/members/${target.profileId}`);
    assert.match(html, /Similar photo style/);
    const listed = [
      ...html.matchAll(/data-testid="similar-member"[\s\S]*?href="\/members\/([^"]+)"/g),
    ]
      .map((m) => m[1]);
    assert.deepEqual(listed, [near.profileId], "only the member who opted in");
    assert.doesNotMatch(html, /looks? like/i);
    assert.doesNotMatch(html, /data-testid="photo-score-value"/, "no score on the row");

    await t.fetch("/profile/score", as(near, form({ action: "style", optIn: "false" })));
    const after = await page(t, viewer, `/members/${target.profileId}`);
    assert.doesNotMatch(after, /data-testid="similar-style"/, "opting out leaves at once");
  });
});
