import assert from "node:assert/strict";
import type { Plugin } from "$fresh/server.ts";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { openPage, screenshot, withBrowser } from "@/tests/helpers/browser.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };

const failingPage: Plugin = {
  name: "failing-page",
  routes: [{
    path: "/page-boom",
    handler: () => {
      throw new Error("vault key is 0xdeadbeef");
    },
  }],
};

/** Serves the real app (islands built in memory) on a random loopback port. */
async function withServer(fn: (url: string) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const app = await createApp(
    { kv, logger: createMemoryLogger(), config: loadConfig({ AURUM_ENV: "test" }) },
    { dev: true, plugins: [failingPage] },
    { access: { "/page-boom": "public" } },
  );
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, info),
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
    kv.close();
  }
}

Deno.test({
  name: "[landing] themed shell in Chromium: renders, hydrates the oath, no console errors",
  fn: async (t) => {
    await withServer((url) =>
      withBrowser(async (browser) => {
        await t.step("landing renders with the gold display heading and the fonts", async () => {
          const opened = await openPage(browser, url + "/", PHONE);
          try {
            const { page } = opened;
            assert.equal(await page.title(), "Aurum Circle");
            const heading = page.getByTestId("hero-title");
            assert.ok(await heading.isVisible());
            assert.equal((await heading.innerText()).toLowerCase(), "aurum circle");
            const look = await heading.evaluate((el) => {
              const css = getComputedStyle(el);
              return { font: css.fontFamily, fill: css.backgroundImage };
            });
            assert.match(look.font, /Cinzel/);
            assert.match(look.fill, /gradient/, "the heading is filled with the gold gradient");
            await page.evaluate(() => document.fonts.ready);
            assert.ok(await page.evaluate(() => document.fonts.check("600 16px Cinzel")));
            const cta = page.getByTestId("cta-signin");
            assert.ok(await cta.isVisible());
            assert.equal(await cta.getAttribute("href"), "/signin");
            const overflow = await page.evaluate(() =>
              document.documentElement.scrollWidth - globalThis.innerWidth
            );
            assert.equal(overflow, 0, "no horizontal scrolling on a phone");
            assert.deepEqual(opened.errors, []);
          } finally {
            await opened.close();
          }
        });

        await t.step("the oath island hydrates and reacts to a tap", async () => {
          const opened = await openPage(browser, url + "/", PHONE);
          try {
            const { page } = opened;
            const oath = page.getByTestId("oath");
            const seal = page.getByTestId("oath-seal");
            const text = page.getByTestId("oath-text");
            assert.equal(await oath.getAttribute("data-state"), "sealed");
            assert.equal(await text.isVisible(), false);
            await seal.click();
            await page.waitForSelector('[data-testid="oath"][data-state="revealed"]');
            assert.ok(await text.isVisible());
            assert.equal(await seal.getAttribute("aria-expanded"), "true");
            assert.match(await text.innerText(), /We are verified, and we are few\./);
            await page.waitForTimeout(900); // let the unfurl animation settle for the screenshot
            await screenshot(page, "landing");
            await seal.click();
            await page.waitForSelector('[data-testid="oath"][data-state="sealed"]');
            assert.equal(await text.isVisible(), false);
            assert.deepEqual(opened.errors, []);
          } finally {
            await opened.close();
          }
        });

        await t.step("reduced motion stills the particles and the sigil", async () => {
          const opened = await openPage(browser, url + "/", { ...PHONE, reducedMotion: "reduce" });
          try {
            const names = await opened.page.evaluate(() =>
              [".particles__mote", ".sigil--animated .sigil__ticks"].map((s) =>
                getComputedStyle(document.querySelector(s)!).animationName
              )
            );
            assert.deepEqual(names, ["none", "none"]);
            assert.deepEqual(opened.errors, []);
          } finally {
            await opened.close();
          }
        });

        await t.step("themed 404 and a 500 page that hides internals", async () => {
          const missing = await fetch(url + "/no/such/rite");
          assert.equal(missing.status, 404);
          assert.match(await missing.text(), /data-testid="not-found"/);
          const failed = await fetch(url + "/page-boom", {
            headers: { "x-request-id": "req-landing-500" },
          });
          assert.equal(failed.status, 500);
          const html = await failed.text();
          assert.match(html, /data-testid="server-error"/);
          assert.match(html, /<code data-testid="request-id">req-landing-500<\/code>/);
          assert.doesNotMatch(html, /deadbeef|vault key|Error:/);
        });
      })
    );
  },
});
