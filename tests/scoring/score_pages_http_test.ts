/**
 * The member-facing score pages over HTTP with real face photos: `/profile/score` (own photos only,
 * breakdown, percentile, history, the no-JS forms), `/leaderboard` (opted-in members only, opt-out
 * at once), refusals that store nothing, and the JS budget of the new pages.
 */
import assert from "node:assert/strict";
import { as, form } from "@/tests/social_http/_helpers.ts";
import { shippedJs } from "@/tests/helpers/page_js.ts";
import {
  call,
  demoPhoto,
  keysUnder,
  kvSnapshot,
  type Member,
  memberWithProfile,
  score,
  type TestApp,
  upload,
  withScoringApp,
} from "./_helpers.ts";

const BUDGET = 12 * 1024;

/** POSTs the score page's form as `member`. */
const post = (t: TestApp, member: Member, fields: Record<string, string>) =>
  t.fetch("/profile/score", as(member, form(fields)));

const page = async (t: TestApp, member: Member, path: string) => {
  const res = await t.fetch(path, as(member));
  const html = await res.text();
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return html;
};

/** The `data-testid="photo-score"` articles of a page, by photo id. */
function scoreCards(html: string): Map<string, string> {
  const cards = new Map<string, string>();
  for (const m of html.matchAll(/<article[^>]*data-testid="photo-score" data-photo="([^"]+)"/g)) {
    const start = m.index!;
    cards.set(m[1], html.slice(start, html.indexOf("</article>", start)));
  }
  return cards;
}

Deno.test("[score pages] my score page: only my photos; scoring by form shows score, breakdown, percentile and history, and opts no one in", async () => {
  await withScoringApp(async (t) => {
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const first = await upload(t, ada, await demoPhoto(1));
    const second = await upload(t, ada, await demoPhoto(6));
    const bosPhoto = await upload(t, bo, await demoPhoto(3));
    assert.equal((await score(t, bo, bosPhoto)).status, 201);

    const before = await page(t, ada, "/profile/score");
    assert.deepEqual([...scoreCards(before).keys()], [first, second]);
    assert.ok(!before.includes(bosPhoto), "another member's photo never appears");
    assert.equal(before.match(/Not scored yet\./g)?.length, 2);
    assert.match(before, /ScorePhoto/, "the scoring island is on the page");

    const res = await post(t, ada, { action: "score", photoId: first });
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), `/profile/score?scored=${first}#score-${first}`);
    await post(t, ada, { action: "score", photoId: first }); // a second scoring: history of two

    const api = await call(t, "GET", "/api/attractiveness/score", ada);
    const latest = api.body.latest[0];
    const html = await page(t, ada, `/profile/score?scored=${first}`);
    const card = scoreCards(html).get(first)!;
    assert.match(card, /data-testid="score-result"/);
    assert.match(
      card,
      new RegExp(`data-testid="photo-score-value">${Math.round(latest.score)}<`),
    );
    assert.match(card, /data-testid="score-breakdown"/);
    assert.match(card, /Light and focus[\s\S]*Framing[\s\S]*Face/);
    assert.ok((card.match(/data-testid="score-contribution"/g)?.length ?? 0) >= 10);
    // Two photos scored in the circle: ada's and bo's.
    assert.match(card, /data-testid="score-percentile" data-percentile="\d+"/);
    assert.match(card, /of the 2 photos scored in the circle/);
    assert.match(card, /data-testid="score-confidence"><strong>A rough guide/);
    assert.match(card, /data-testid="score-history" data-points="2"/);
    assert.match(card, /<svg class="score-history__chart"[^>]*role="img"[^>]*data-runs="1"/);
    assert.equal(card.match(/<circle /g)?.length, 2);
    assert.match(scoreCards(html).get(second)!, /Not scored yet\./);

    assert.deepEqual(await keysUnder(t.app.deps.kv, ["leaderboard_settings"]), []);
    assert.deepEqual(await keysUnder(t.app.deps.kv, ["leaderboard"]), []);
    const board = await page(t, bo, "/leaderboard");
    assert.match(board, /data-testid="leaderboard-empty"/);
    assert.ok(!board.includes(ada.profileId));
    assert.match(html, /data-testid="choice-leaderboard" data-on="false"/);
    assert.match(html, /data-testid="choice-style" data-on="false"/);
  });
});

Deno.test("[score pages] the history keeps each scoring's model version: separate lines and a note", async () => {
  await withScoringApp(async (t) => {
    const { kv, ml } = t.app.deps;
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(2));
    await post(t, ada, { action: "score", photoId });
    const model = await ml.defaultModel();
    await kv.set(["scoring_model"], { ...model, version: "fit-test-2" });
    await post(t, ada, { action: "score", photoId });
    await post(t, ada, { action: "score", photoId });
    const card = scoreCards(await page(t, ada, "/profile/score")).get(photoId)!;
    assert.match(card, /data-points="3"/);
    assert.match(card, /data-runs="2"/);
    assert.equal(card.match(/<polyline /g)?.length, 2, "one line per version, never joined");
    assert.equal(card.match(/class="score-history__change"/g)?.length, 1);
    assert.match(card, /changed once since \(the dashed line\)/);
    assert.ok(!card.includes("fit-test-2"), "no internal version names");
  });
});

Deno.test("[score pages] another member's score is never visible, and their photo cannot be scored by form", async () => {
  await withScoringApp(async (t) => {
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const adasPhoto = await upload(t, ada, await demoPhoto(1));
    const bosPhoto = await upload(t, bo, await demoPhoto(3));
    await post(t, bo, { action: "score", photoId: bosPhoto });
    const bosScore = (await call(t, "GET", "/api/attractiveness/score", bo)).body.latest[0];

    for (const path of ["/vault", `/members/${bo.profileId}`, "/leaderboard", "/profile/score"]) {
      const html = await page(t, ada, path);
      assert.doesNotMatch(html, new RegExp(`data-photo="${bosPhoto}"`), path);
      assert.doesNotMatch(html, /data-testid="photo-score-value"|leaderboard-row/, path);
    }
    assert.ok(!(await page(t, ada, "/profile/score")).includes(bosPhoto));

    const snapshot = await kvSnapshot(t.app.deps.kv);
    const refused = await post(t, ada, { action: "score", photoId: bosPhoto });
    assert.equal(refused.status, 404);
    assert.match(await refused.text(), /That photo is no longer on your profile\./);
    const unknown = await post(t, ada, { action: "score", photoId: "01J00000000000000000000000" });
    assert.equal(unknown.status, 404);
    await unknown.body?.cancel();
    assert.deepEqual(await kvSnapshot(t.app.deps.kv), snapshot, "nothing stored");
    const still = (await call(t, "GET", "/api/attractiveness/score", bo)).body.latest[0];
    assert.deepEqual(still, bosScore);
    assert.equal((await score(t, ada, adasPhoto)).status, 201, "ada's own photo still scores");
  });
});

Deno.test("[score pages] the leaderboard by form: opting in shows me at once, opting out removes me at once", async () => {
  await withScoringApp(async (t) => {
    const [ada, bo] = [await memberWithProfile(t), await memberWithProfile(t)];
    const photoId = await upload(t, ada, await demoPhoto(1));
    await post(t, ada, { action: "score", photoId });
    const best = Math.round(
      (await call(t, "GET", "/api/attractiveness/score", ada)).body
        .latest[0].score,
    );

    const on = await post(t, ada, { action: "leaderboard", optIn: "true" });
    assert.equal(on.status, 303);
    assert.equal(on.headers.get("location"), "/profile/score?done=leaderboard-on");
    const mine = await page(t, ada, "/profile/score?done=leaderboard-on");
    assert.match(mine, /You are now on the leaderboard\./);
    assert.match(mine, /data-testid="choice-leaderboard" data-on="true"/);

    const seen = await page(t, bo, "/leaderboard");
    const row = seen.match(
      new RegExp(
        `<li[^>]*data-testid="leaderboard-row" data-profile="${ada.profileId}"[\\s\\S]*?</li>`,
      ),
    )?.[0];
    assert.ok(row, "ada is listed for bo");
    assert.match(row, /aria-label="Rank 1">1</);
    assert.match(row, new RegExp(`>${best}</span>`));
    assert.match(row, /card__photo--veiled/, "bo sees ada's card photo veiled");
    assert.match(seen, /You are not on the leaderboard/);
    const own = await page(t, ada, "/leaderboard");
    assert.match(own, /You are number 1\./);
    assert.match(own, /leaderboard__row is-own/);

    const off = await post(t, ada, { action: "leaderboard", optIn: "false", back: "/leaderboard" });
    assert.equal(off.status, 303);
    assert.equal(off.headers.get("location"), "/leaderboard?done=leaderboard-off");
    const gone = await page(t, bo, "/leaderboard");
    assert.ok(!gone.includes(ada.profileId), "gone at once");
    assert.match(gone, /data-testid="leaderboard-empty"/);
    assert.deepEqual(await keysUnder(t.app.deps.kv, ["leaderboard"]), []);
  });
});

Deno.test("[score pages] bad form input: 400 with a plain message, nothing stored", async () => {
  await withScoringApp(async (t) => {
    const ada = await memberWithProfile(t);
    const photoId = await upload(t, ada, await demoPhoto(1));
    const snapshot = await kvSnapshot(t.app.deps.kv);
    const bad: Record<string, string>[] = [
      {},
      { action: "score" },
      { action: "score", photoId: "../../etc" },
      { action: "explode", photoId },
      { action: "leaderboard" },
      { action: "leaderboard", optIn: "yes" },
      { action: "leaderboard", optIn: "true", back: "https://evil.example/" },
      { action: "style", optIn: "1" },
    ];
    for (const fields of bad) {
      const res = await post(t, ada, fields);
      assert.equal(res.status, 400, JSON.stringify(fields));
      const html = await res.text();
      assert.match(html, /data-testid="score-notice"/, JSON.stringify(fields));
      assert.doesNotMatch(html, /evil\.example/);
    }
    assert.deepEqual(await kvSnapshot(t.app.deps.kv), snapshot);
  });
});

Deno.test("[score pages] the score page and the leaderboard ship at most 12 KB of JS (gzip)", async () => {
  await withScoringApp(async (t) => {
    const ada = await memberWithProfile(t);
    for (const n of [1, 2, 3]) await upload(t, ada, await demoPhoto(n));
    for (const path of ["/profile/score", "/leaderboard"]) {
      const res = await t.fetch(path, as(ada));
      const bytes = await shippedJs(t, res, await res.text());
      console.log(`JS gzip: ${path} ${bytes} B`);
      assert.ok(bytes <= BUDGET, `${path} ships ${bytes} B gzip`);
    }
  });
});
