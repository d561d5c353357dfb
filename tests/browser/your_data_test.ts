/**
 * "Your data" on a phone: the export link downloads the JSON, a wrong confirmation is refused in
 * plain words, the right one lands on the front page signed out with a goodbye. Screenshots of the
 * section go to tests/output/.
 */
import assert from "node:assert/strict";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { withBrowser } from "@/tests/helpers/browser.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const OUTPUT = new URL("../output/", import.meta.url);

Deno.test("[account] Your data on a 390×844 phone: download, refused confirmation, goodbye", async () => {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-your-data-" });
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", DATA_DIR: dataDir });
  const app = await createApp({ kv, logger: createMemoryLogger(), config }, { dev: true });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, info),
  );
  const url = `http://127.0.0.1:${server.addr.port}`;
  await Deno.mkdir(OUTPUT, { recursive: true });
  try {
    await withBrowser(async (browser) => {
      const context = await browser.newContext({ ...PHONE, acceptDownloads: true });
      const headers = { origin: url };
      const signIn = await context.request.post(`${url}/api/auth/dev`, {
        data: { persona: "keyholder" },
        headers,
      });
      assert.equal(signIn.status(), 200, await signIn.text());
      const created = await context.request.post(`${url}/api/profiles`, {
        data: validInput({ displayName: "Ada" }),
        headers,
      });
      assert.equal(created.status(), 201, await created.text());

      const page = await context.newPage();
      await page.goto(`${url}/profile/edit#your-data`, { waitUntil: "load" });
      const section = page.locator('[data-testid="your-data"]');
      await section.scrollIntoViewIfNeeded();
      await section.screenshot({ path: new URL("your_data.png", OUTPUT).pathname });

      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.click('[data-testid="export-link"]'),
      ]);
      assert.match(download.suggestedFilename(), /^aurum-circle-data-\d{4}-\d{2}-\d{2}\.json$/);
      const saved = JSON.parse(await Deno.readTextFile(await download.path()));
      assert.equal(saved.profile.displayName, "Ada");

      await page.fill('[data-testid="delete-confirm"]', "delete it");
      await page.click('[data-testid="delete-submit"]');
      await page.waitForSelector('[data-testid="delete-error"]');
      assert.match(
        await page.textContent('[data-testid="delete-error"]') ?? "",
        /Type “delete my account” to confirm\./,
      );
      await page.locator('[data-testid="your-data"]').screenshot({
        path: new URL("your_data_refused.png", OUTPUT).pathname,
      });

      await page.fill('[data-testid="delete-confirm"]', "delete my account");
      await page.click('[data-testid="delete-submit"]');
      await page.waitForSelector('[data-testid="goodbye"]');
      assert.equal(new URL(page.url()).pathname, "/");
      await page.screenshot({ path: new URL("your_data_goodbye.png", OUTPUT).pathname });
      assert.equal((await context.cookies()).some((c) => c.name === "aurum_session"), false);
      await context.close();
    });
  } finally {
    await server.shutdown();
    await app.deps.cache.close();
    await app.deps.ml.close?.();
    await app.deps.vectors.close();
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
});
