/**
 * The photo score in Chromium at 390×844: a dev persona signs in, uploads a real face photo through
 * the profile editor, opens the score page from the profile, scores the photo through the island
 * (progress shown while the server works), sees breakdown, percentile and history, opts in to the
 * leaderboard and sees itself there, opts out and is gone. Also the vault's rows with their Pass
 * form and a member page's "Similar photo style" row. 44 px targets and 14 px text on each page;
 * screenshots go to tests/output/.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import type { BrowserContext, Page } from "playwright-core";
import { createSession } from "@/core/auth/sessions.ts";
import { systemClock } from "@/core/clock.ts";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { measure } from "@/tests/helpers/ux_measure.ts";
import { admittedMember, validInput } from "@/tests/profiles/_helpers.ts";
import { demoPhoto } from "@/tests/scoring/_helpers.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };

/** Another admitted member with a profile and a real face photo, who may be found by style. */
async function otherMember(
  url: string,
  kv: Deno.Kv,
  name: string,
  photo: number,
): Promise<string> {
  const wallet = await admittedMember(kv, systemClock as Parameters<typeof admittedMember>[1]);
  const { id } = await createSession(kv, systemClock, { wallet, method: "dev", ttlSeconds: 600 });
  const headers = { cookie: `aurum_session=${id}`, origin: url };
  const created = await fetch(`${url}/api/profiles`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/json" },
    body: JSON.stringify(validInput({ displayName: name })),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const profileId = (await created.json()).profile.id as string;
  const upload = await fetch(`${url}/api/profiles/${profileId}/photos`, {
    method: "POST",
    headers: { ...headers, "content-type": "image/jpeg" },
    body: (await demoPhoto(photo)) as Uint8Array<ArrayBuffer>,
  });
  assert.equal(upload.status, 201, await upload.text());
  const style = await fetch(`${url}/profile/score`, {
    method: "POST",
    headers: { ...headers, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ action: "style", optIn: "true" }),
    redirect: "manual",
  });
  assert.equal(style.status, 303);
  await style.body?.cancel();
  return profileId;
}

/** Fails the test later with every too-small target and too-small text of the page. */
async function checkUx(page: Page, path: string, failures: string[]) {
  await page.evaluate(() => document.fonts.ready);
  const { small, tiny } = await measure(page);
  failures.push(...small.map((s) => `${path}: target ${s}`));
  failures.push(...tiny.map((s) => `${path}: text ${s}`));
}

Deno.test({
  name:
    "[score] Chromium: upload, score through the island, breakdown/percentile/history, leaderboard in and out, vault rows, similar style",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withAppServer(async ({ url, kv }) => {
      let context: BrowserContext | null = null;
      try {
        const others = [
          await otherMember(url, kv, "Ines", 2),
          await otherMember(url, kv, "Octavia", 3),
          await otherMember(url, kv, "Rafe", 4),
        ];
        await withBrowser(async (browser) => {
          context = await browser.newContext(PHONE);
          const headers = { origin: url };
          const signIn = await context.request.post(`${url}/api/auth/dev`, {
            data: { persona: "keyholder" },
            headers,
          });
          assert.equal(signIn.status(), 200);
          const created = await context.request.post(`${url}/api/profiles`, {
            data: validInput({ displayName: "Keira" }),
            headers,
          });
          assert.equal(created.status(), 201, await created.text());
          const profileId = (await created.json()).profile.id as string;

          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
          const failures: string[] = [];

          // A real face photo, through the profile editor.
          await page.goto(`${url}/profile/edit`, { waitUntil: "load" });
          // The uploader loads when the photos come into view.
          await page.locator(".loading-inline", { hasText: "Opening your photos" })
            .scrollIntoViewIfNeeded();
          await page.getByTestId("photo-input").setInputFiles({
            name: "portrait.jpg",
            mimeType: "image/jpeg",
            buffer: Buffer.from(await demoPhoto(1)),
          });
          await page.getByTestId("photo-tile").first().waitFor({ timeout: 30_000 });

          // The score page, from the profile.
          await page.getByTestId("to-score").click();
          await page.waitForURL(`${url}/profile/score`);
          await page.locator('[data-testid="score-photo"] input[type=radio]:checked').waitFor({
            state: "attached",
          });
          assert.match(await page.getByTestId("photo-score").innerText(), /Not scored yet/);
          // Hold the answer a moment, so the progress the member sees can be seen here too.
          let release = () => {};
          const held = new Promise<void>((resolve) => release = resolve);
          await page.route("**/api/attractiveness/score", async (route) => {
            await held;
            await route.continue();
          });
          await page.getByTestId("score-submit").click();
          await page.getByTestId("score-progress").waitFor();
          assert.equal(await page.getByTestId("score-submit").innerText(), "SCORING…");
          await screenshot(page, "score-progress");
          release();
          await page.waitForURL(/\/profile\/score\?scored=/);
          await page.getByTestId("score-result").waitFor();
          const value = Number(await page.getByTestId("photo-score-value").innerText());
          assert.ok(value >= 0 && value <= 100);
          assert.match(await page.getByTestId("score-result").innerText(), new RegExp(`${value}`));
          assert.ok(await page.getByTestId("score-breakdown").isVisible());
          assert.match(
            await page.getByTestId("score-breakdown").innerText(),
            /LIGHT AND FOCUS|Light and focus/i,
          );
          assert.match(
            await page.getByTestId("score-percentile").innerText(),
            /first photo scored|Higher than \d+%/,
          );
          assert.match(await page.getByTestId("score-confidence").innerText(), /rough guide/i);
          assert.match(await page.getByTestId("score-history").innerText(), /Scored once/);
          assert.equal(await page.locator(".score-history__chart circle").count(), 1);
          await page.locator(".breakdown__summary").click();
          await screenshot(page, "score-page");
          await checkUx(page, "/profile/score", failures);

          // Opt in: on the leaderboard at once.
          await page.getByTestId("choice-leaderboard-button").click();
          await page.waitForURL(/done=leaderboard-on/);
          assert.match(
            await page.getByTestId("score-notice").innerText(),
            /now on the leaderboard/,
          );
          await page.getByTestId("to-leaderboard").click();
          await page.waitForURL(`${url}/leaderboard`);
          const own = page.locator(`[data-testid="leaderboard-row"][data-profile="${profileId}"]`);
          await own.waitFor();
          assert.match(await own.innerText(), new RegExp(`Keira[\\s\\S]*${value}`));
          assert.match(await page.getByTestId("leaderboard-standing").innerText(), /number 1/);
          await screenshot(page, "score-leaderboard");
          await checkUx(page, "/leaderboard", failures);

          // Opt out: gone at once.
          await page.getByTestId("choice-leaderboard-button").click();
          await page.waitForURL(/\/leaderboard\?done=leaderboard-off/);
          assert.equal(await page.getByTestId("leaderboard-row").count(), 0);
          await page.getByTestId("leaderboard-empty").waitFor();
          await screenshot(page, "score-leaderboard-empty");

          // The vault's rows: a card above the fold, and Pass takes it away.
          await page.goto(`${url}/vault`, { waitUntil: "load" });
          const today = page.getByTestId("vault-today");
          await today.waitFor();
          const first = today.getByTestId("pick-card").first();
          const box = await first.boundingBox();
          assert.ok(box && box.y < 844, `the first card of today's circle starts at ${box?.y}`);
          await screenshot(page, "score-vault-rows");
          await checkUx(page, "/vault", failures);
          const passed = await first.getAttribute("data-profile");
          assert.ok(passed && others.includes(passed));
          await first.getByTestId("pass").click();
          await page.waitForURL(/\/vault#today/);
          assert.equal(
            await page.locator(`[data-testid="pick-card"][data-profile="${passed}"]`).count(),
            0,
          );

          // A member page: the other members with a similar photo style (they opted in).
          const target = others.find((id) => id !== passed)!;
          await page.goto(`${url}/members/${target}`, { waitUntil: "load" });
          const similar = page.getByTestId("similar-style");
          await similar.waitFor();
          assert.ok((await similar.getByTestId("similar-member").count()) >= 1);
          assert.doesNotMatch(await page.locator("main").innerText(), /looks? like/i);
          await similar.scrollIntoViewIfNeeded();
          await screenshot(page, "score-member-similar");
          await checkUx(page, `/members/${target}`, failures);

          assert.deepEqual(failures, []);
          assert.deepEqual(errors, []);
        });
      } finally {
        await (context as BrowserContext | null)?.close();
      }
    }, { prefix: "aurum-score-browser-" });
  },
});
