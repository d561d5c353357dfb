/**
 * Every member page in Chromium at 390×844, for a small seeded circle (two members who match, an
 * invite, an event): the tab bar marks the page, every interactive element is at least 44×44 px,
 * no text a member reads is under 14 px, and nothing throws. Screenshots go to tests/output/.
 *
 * Exempt from the size rule: links inside running text (`p a`, `figcaption a`), whose height is
 * the line's — making them 44 px tall would break the paragraph; their line is their target.
 * Measured through what is actually tapped: a card's name link through its card (its `::after`
 * covers the card), and an input inside a `<label>` through the label (a tap on it toggles it).
 */
import assert from "node:assert/strict";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createEvent } from "@/core/events/mod.ts";
import { systemClock } from "@/core/clock.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { measure, MIN_TARGET } from "@/tests/helpers/ux_measure.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
Deno.test({
  name: "[ux] member pages at 390×844: tab bar, 44 px targets, 14 px text, screenshots",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const kv = await Deno.openKv(":memory:");
    const dataDir = await Deno.makeTempDir({ prefix: "aurum-member-pages-" });
    const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", DATA_DIR: dataDir });
    const app = await createApp({ kv, logger: createMemoryLogger(), config }, { dev: true });
    const server = Deno.serve(
      { hostname: "127.0.0.1", port: 0, onListen: () => {} },
      (req, info) => app.fetch(req, info),
    );
    const url = `http://127.0.0.1:${server.addr.port}`;
    try {
      const event = await createEvent(kv, systemClock, {
        name: "Golden Hour",
        description: "A toast on the terrace at sunset.",
        startsAt: Date.now() + 5 * 86_400_000,
        endsAt: Date.now() + 5 * 86_400_000 + 3 * 3600_000,
        maxTickets: 20,
      });
      await withBrowser(async (browser) => {
        const signIn = async (persona: string, name: string) => {
          const context = await browser.newContext(PHONE);
          const headers = { origin: url };
          const res = await context.request.post(`${url}/api/auth/dev`, {
            data: { persona },
            headers,
          });
          assert.equal(res.status(), 200);
          const created = await context.request.post(`${url}/api/profiles`, {
            data: validInput({ displayName: name }),
            headers,
          });
          assert.equal(created.status(), 201, await created.text());
          const profileId = (await created.json()).profile.id as string;
          // A main photo (one face): the vault asks for one before it opens.
          const upload = await context.request.post(`${url}/api/profiles/${profileId}/photos`, {
            data: Buffer.from(portrait),
            headers: { ...headers, "content-type": "image/jpeg" },
          });
          assert.equal(upload.status(), 201, await upload.text());
          return { context, headers, profileId };
        };
        const portrait = await plainJpeg(await uprightPhoto());
        const keira = await signIn("keyholder", "Keira");
        const ines = await signIn("invitee", "Ines");
        try {
          const page = await keira.context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
          const failures: string[] = [];
          const visit = async (path: string, tab: string | null, shot: string) => {
            await page.goto(url + path, { waitUntil: "load" });
            await page.evaluate(() => document.fonts.ready);
            const marked = await page.locator('.tabbar [aria-current="page"]').getAttribute(
              "data-testid",
            );
            assert.equal(marked, tab ? `tab-${tab}` : null, path);
            await screenshot(page, `ux-${shot}`);
            const { small, tiny } = await measure(page);
            failures.push(...small.map((s) => `${path}: target ${s}`));
            failures.push(...tiny.map((s) => `${path}: text ${s}`));
          };

          await visit("/vault", "vault", "vault");
          // The own card is compact: the first other member's card (today's circle) starts
          // above the fold, and the grid's first card is reached within a short scroll.
          const first = await page.getByTestId("pick-card").first().boundingBox();
          assert.ok(first && first.y < 844, `the first member card starts at ${first?.y}`);
          const grid = await page.getByTestId("vault-card").first().boundingBox();
          assert.ok(grid && grid.y < 2 * 844, `the grid's first card starts at ${grid?.y}`);
          await visit(`/members/${ines.profileId}`, "vault", "member");
          const signal = page.getByTestId("signal").locator("button");
          assert.match((await signal.getAttribute("class"))!, /btn--primary/);
          await visit(`/members/${keira.profileId}`, "vault", "member-own");
          await visit("/events", "events", "events");
          await visit(`/events/${event.id}`, "events", "event");
          assert.equal(await page.getByTestId("back-link").getAttribute("href"), "/events");

          // A match the tab bar counts until the matches are opened.
          await keira.context.request.post(`${url}/api/signals/send`, {
            data: { to: ines.profileId },
            headers: keira.headers,
          });
          await ines.context.request.post(`${url}/api/signals/send`, {
            data: { to: keira.profileId },
            headers: ines.headers,
          });
          await page.goto(url + "/events", { waitUntil: "load" });
          assert.match(await page.getByTestId("unseen-matches").innerText(), /^1/);
          await visit("/matches", "matches", "matches");
          assert.equal(await page.getByTestId("unseen-matches").isHidden(), true);
          await visit(`/members/${ines.profileId}`, "vault", "member-matched");
          assert.equal(await page.getByTestId("back-link").getAttribute("href"), "/matches");

          await page.goto(url + "/invites", { waitUntil: "load" });
          await page.getByTestId("invite-generate").click();
          await page.waitForURL(/done=created/);
          await page.getByTestId("invite-generate").click();
          await page.waitForURL(/done=created/);
          await page.getByTestId("invite-revoke").last().click();
          await page.waitForURL(/done=revoked/);
          await visit("/invites", "invites", "invites");
          const invite = page.getByTestId("invite").first();
          assert.match(
            await invite.innerText(),
            /Expires in 4 weeks|Expires in 1 month|Expires in 30 days/,
          );
          assert.equal(await invite.getByTestId("invite-qr").count(), 1);
          await visit("/profile/edit", "me", "profile-edit");
          await visit("/profile/score", "me", "score-no-photos");
          await visit("/leaderboard", "me", "leaderboard-empty");
          for (const tab of ["vault", "matches", "events", "invites", "me"]) {
            const box = await page.getByTestId(`tab-${tab}`).boundingBox();
            assert.ok(box && box.width >= MIN_TARGET && box.height >= MIN_TARGET, tab);
            assert.ok(box.y + box.height <= 844, `${tab} is on screen`);
          }
          assert.deepEqual(failures, []);
          assert.deepEqual(errors, []);
        } finally {
          await keira.context.close();
          await ines.context.close();
        }
      });
    } finally {
      await server.shutdown();
      await app.deps.cache.close();
      await app.deps.ml.close?.();
      kv.close();
      await Deno.remove(dataDir, { recursive: true });
    }
  },
});
