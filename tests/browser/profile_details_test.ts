/**
 * A member whose profile was made before gender, who they want to meet and region were asked, in
 * Chromium at 390×844 with JavaScript off: the vault sends them to "a few more details", the plain
 * form saves, and they land where they were going.
 */
import assert from "node:assert/strict";
import { profileKey, readProfile } from "@/core/profiles/mod.ts";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };

Deno.test({
  name: "[profiles] a profile made before the details is asked for them without JS, then goes on",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withAppServer(async ({ url, kv }) => {
      await withBrowser(async (browser) => {
        const context = await browser.newContext({ ...PHONE, javaScriptEnabled: false });
        const headers = { origin: url };
        assert.equal(
          (await context.request.post(`${url}/api/auth/dev`, {
            data: { persona: "keyholder" },
            headers,
          })).status(),
          200,
        );
        const created = await context.request.post(`${url}/api/profiles`, {
          data: validInput({ displayName: "Keira" }),
          headers,
        });
        const profileId = (await created.json()).profile.id as string;
        const upload = await context.request.post(`${url}/api/profiles/${profileId}/photos`, {
          data: Buffer.from(await plainJpeg(await uprightPhoto())),
          headers: { ...headers, "content-type": "image/jpeg" },
        });
        assert.equal(upload.status(), 201, await upload.text());
        // As stored before the details existed.
        const { profile } = await readProfile(kv, profileId);
        const { gender: _g, interestedIn: _i, region: _r, city: _c, ...old } = profile!;
        await kv.set(profileKey(profileId), old);

        const page = await context.newPage();
        await page.goto(`${url}/vault?tag=chess`, { waitUntil: "load" });
        assert.equal(new URL(page.url()).pathname, "/profile/details");
        assert.equal(new URL(page.url()).searchParams.get("next"), "/vault?tag=chess");
        assert.match(await page.locator("main").innerText(), /don.t see you in the vault/);
        assert.equal(await page.locator(".tabbar").count(), 0, "its own chrome, like onboarding");
        // Every choice is a 44 px tap target.
        for (const chip of await page.locator(".chip").all()) {
          const box = (await chip.boundingBox())!;
          assert.ok(box.height >= 44 && box.width >= 44, `chip ${box.width}×${box.height}`);
        }
        await screenshot(page, "profile-details");

        await page.getByTestId("details-save").click();
        await page.getByTestId("details-status").waitFor();
        assert.match(await page.getByTestId("error-gender").innerText(), /fits you/);
        await screenshot(page, "profile-details-errors");

        await page.getByTestId("gender-woman").check();
        await page.getByTestId("interestedIn-man").check();
        await page.getByTestId("field-city").fill("Lisbon");
        await page.getByTestId("field-region").selectOption("europe");
        await page.getByTestId("details-save").click();
        await page.waitForURL(`${url}/vault?tag=chess`);
        assert.equal(await page.getByTestId("vault-title").innerText(), "The vault");
        const saved = (await readProfile(kv, profileId)).profile!;
        assert.deepEqual(
          [saved.gender, saved.interestedIn, saved.city, saved.region],
          ["woman", ["man"], "Lisbon", "europe"],
        );
        await context.close();
      });
    }, { prefix: "aurum-details-browser-" });
  },
});
