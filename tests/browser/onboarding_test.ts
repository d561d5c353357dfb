/**
 * Onboarding, the vault and member pages in Chromium against the real app (islands built in
 * memory, a temporary data folder, dev sign-in): a real face photo is uploaded, and a second member
 * receives only the server-blurred thumbnail of the first member's photo.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { renditionKey } from "@/core/profiles/photo_keys.ts";
import { profileByWalletKey, profileKey } from "@/core/profiles/profiles.ts";
import { ulid } from "@/core/ulid.ts";
import type { Profile } from "@/core/profiles/schema.ts";
import { type TestApp, withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";
import { focusedId, onboard } from "./_onboarding.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const BUDGET = 12 * 1024;

/** Serves the real app on a random loopback port with its data in a temporary folder. */
function withServer(fn: (url: string, app: TestApp) => Promise<void>) {
  return withAppServer(({ url, app }) => fn(url, app), { prefix: "aurum-onboarding-" });
}

/** The gzip size of every script `path` downloads, loaded in a fresh context (empty cache). */
async function pageJs(browser: Browser, from: BrowserContext, url: string) {
  const context = await browser.newContext({ ...PHONE, storageState: await from.storageState() });
  try {
    const page = await context.newPage();
    const bodies: [string, Promise<Uint8Array>][] = [];
    page.on("response", (response) => {
      if (/javascript/.test(response.headers()["content-type"] ?? "")) {
        const name = new URL(response.url()).pathname.split("/").pop()!;
        const body = response.body().then((b) => new Uint8Array(b));
        body.catch(() => {}); // a body dropped by navigation fails only where it is read
        bodies.push([name, body]);
      }
    });
    await page.goto(url, { waitUntil: "networkidle" });
    let gzip = 0;
    const files: Record<string, number> = {};
    for (const [name, body] of bodies) gzip += files[name] = await gzipSize(await body);
    return { gzip, files };
  } finally {
    await context.close();
  }
}

/** A phone-sized context with its console errors collected (Chromium logs 4xx as errors). */
async function openContext(browser: Browser) {
  const context = await browser.newContext(PHONE);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  return { context, page, errors };
}

async function signIn(page: Page, url: string, persona: string) {
  await page.goto(url + "/signin");
  await page.getByTestId(`dev-persona-${persona}`).check();
  await page.getByTestId("dev-signin").click();
  // The vault sends a member without a profile to onboarding.
  await page.waitForURL(url + "/onboarding");
}

Deno.test({
  name: "[onboarding] two members onboard with real photos; the second sees only the blur",
  fn: async () => {
    await withServer((base, app) =>
      withBrowser(async (browser) => {
        const a = await openContext(browser);
        const b = await openContext(browser);
        try {
          // ---- the first member: keyholder ----
          await signIn(a.page, base, "keyholder");
          assert.equal(await a.page.title(), "Your profile · Aurum Circle");
          const onboardingJs = await pageJs(browser, a.context, base + "/onboarding");
          console.log("/onboarding JS:", onboardingJs);
          assert.ok(onboardingJs.gzip <= BUDGET, `/onboarding ships ${onboardingJs.gzip} B gzip`);
          await screenshot(a.page, "onboarding-basics");
          await onboard(a.page, {
            name: "Aurelia",
            dob: "2001-04-12",
            university: "Sorbonne",
            year: "2027",
            tags: ["night_owl", "chess", "poet"],
            photo: "sample2.jpg",
            gender: "woman",
            interestedIn: ["everyone"],
            city: "Paris",
            region: "europe",
          }, true);
          const own = a.page.getByTestId("own-card");
          assert.match(await own.innerText(), /Aurelia/);
          const ownImg = own.locator("img");
          assert.equal(
            await ownImg.getAttribute("class"),
            "card__photo",
            "not veiled for the owner",
          );
          assert.ok(await a.page.getByTestId("badge-gate").isVisible());
          assert.ok(await a.page.getByTestId("vault-empty").isVisible());
          assert.equal(await a.page.title(), "The vault · Aurum Circle");
          await screenshot(a.page, "vault-first-member");

          // ---- the second member: invitee ----
          const photoResponses = new Map<string, Promise<Uint8Array>>();
          b.page.on("response", (response) => {
            if (/\/api\/profiles\/[^/]+\/photos\/[^/?]+\?/.test(response.url())) {
              const body = response.body().then((x) => new Uint8Array(x));
              body.catch(() => {}); // a body dropped by navigation fails only where it is read
              photoResponses.set(response.url(), body);
            }
          });
          await signIn(b.page, base, "invitee");
          await onboard(b.page, {
            name: "Basil",
            dob: "1999-11-02",
            university: "Bologna",
            year: "2026",
            tags: ["foodie", "hiker", "chess"],
            photo: "sample2.jpg",
            gender: "man",
            interestedIn: ["woman"],
            city: "Bologna",
            region: "europe",
          }, false);
          const cards = b.page.getByTestId("vault-card");
          assert.equal(await cards.count(), 1);
          assert.match(await cards.first().innerText(), /Aurelia/);
          const img = cards.first().locator("img");
          assert.match((await img.getAttribute("class"))!, /card__photo--veiled/);
          await b.page.waitForFunction(
            (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0,
            await img.elementHandle(),
          );
          const src = new URL((await img.getAttribute("src"))!, base).href;
          const [, , , profileId, , photoId] = new URL(src).pathname.split("/");
          const received = await photoResponses.get(src);
          assert.ok(received, "the browser downloaded the card photo");

          const stored = await app.deps.objects.get(renditionKey(profileId, photoId, "thumb"));
          const thumb = new Uint8Array(await new Response(stored!.body).arrayBuffer());
          assert.deepEqual(received, thumb, "the browser received the blurred thumbnail");
          const again = await b.context.request.get(src);
          assert.equal(again.headers()["x-photo-blurred"], "true");
          assert.deepEqual(new Uint8Array(await again.body()), received);
          const owners = await a.context.request.get(src);
          assert.equal(owners.headers()["x-photo-blurred"], "false");
          assert.notDeepEqual(new Uint8Array(await owners.body()), received, "the owner's differs");
          await screenshot(b.page, "vault-second-member");

          const vaultJs = await pageJs(browser, b.context, base + "/vault");
          console.log("/vault JS:", vaultJs);
          assert.ok(vaultJs.gzip <= BUDGET, `/vault ships ${vaultJs.gzip} B gzip`);

          // The first member's page, as the second member sees it: limited, veiled.
          await cards.first().locator("a").click();
          await b.page.waitForURL(`${base}/members/${profileId}`);
          const detail = b.page.getByTestId("member-profile");
          assert.equal(await detail.getAttribute("data-view"), "limited");
          assert.ok(await b.page.getByTestId("veil-note").isVisible());
          assert.equal(await b.page.getByTestId("member-contact").count(), 0);
          assert.match(await b.page.title(), /^Aurelia · /);
          await screenshot(b.page, "member-limited");
          const memberJs = await pageJs(browser, b.context, b.page.url());
          console.log("/members/:id JS:", memberJs);
          assert.ok(memberJs.gzip <= BUDGET);

          assert.deepEqual(a.errors, []);
          assert.deepEqual(b.errors, []);
        } finally {
          await a.context.close();
          await b.context.close();
        }
      })
    );
  },
});

/** Writes `count` profiles straight into KV (other members of the vault, without photos). */
async function seedProfiles(app: TestApp, count: number) {
  const now = app.deps.clock.now();
  for (let i = 0; i < count; i++) {
    const wallet = `0x${(i + 1).toString(16).padStart(40, "0")}`;
    const profile: Profile = {
      v: 1,
      id: ulid(app.deps.clock),
      wallet,
      displayName: `Member ${i + 1}`,
      dateOfBirth: "2000-01-01",
      university: i % 2 ? "Oxford" : "Leiden",
      graduationYear: 2026,
      gender: i % 2 ? "man" : "woman",
      interestedIn: ["everyone"],
      city: "",
      region: "europe",
      bio: "",
      vibeTags: ["chess", "poet", "hiker"],
      prompts: [],
      preferences: {
        universities: [],
        graduationYears: [],
        ageRange: { min: 18, max: 100 },
        tags: [],
      },
      contactHandle: null,
      hidden: false,
      photos: [],
      createdAt: now,
      updatedAt: now,
    };
    await app.deps.kv.atomic()
      .set(profileKey(profile.id), profile)
      .set(profileByWalletKey(wallet), profile.id)
      .commit();
  }
}

Deno.test({
  name: "[onboarding] the vault: filters, load more, editing the profile",
  fn: async () => {
    await withServer((base, app) =>
      withBrowser(async (browser) => {
        const a = await openContext(browser);
        try {
          await seedProfiles(app, 15);
          await signIn(a.page, base, "keyholder");
          await onboard(a.page, {
            name: "Aurelia",
            dob: "2001-04-12",
            university: "Sorbonne",
            year: "2027",
            tags: ["night_owl", "chess", "poet"],
            photo: "sample2.jpg",
            gender: "woman",
            interestedIn: ["everyone"],
            city: "Leiden",
            region: "europe",
          }, false);
          const cards = a.page.getByTestId("vault-card");
          assert.equal(await cards.count(), 12);
          await a.page.getByTestId("load-more").click();
          await a.page.getByTestId("vault-end").waitFor();
          assert.equal(await cards.count(), 15);
          assert.equal(await a.page.getByTestId("load-more").count(), 0);
          const focused = await a.page.evaluate(() => document.activeElement?.textContent);
          assert.equal(focused, "Member 13", "focus moves to the first new card");
          // Loaded cards carry a working SignalButton too.
          const loaded = a.page.locator('.more [data-testid="signal"]');
          assert.equal(await loaded.count(), 3);
          assert.equal(await loaded.first().getAttribute("data-state"), "none");
          // The seeded profiles have no member records, so the API refuses the signal: the island
          // is live and shows the server's answer in place.
          await loaded.first().locator("button").click();
          const answer = loaded.first().locator('.signal__error[role="alert"]');
          await answer.waitFor();
          assert.equal(await answer.textContent(), "No such member.");

          // Filters: a university narrows the list; an impossible age range is refused in place.
          await a.page.getByTestId("filter-toggle").click();
          await a.page.getByTestId("filter-university").fill("Oxford");
          await a.page.getByTestId("filter-apply").click();
          await a.page.waitForURL(`${base}/vault?university=Oxford`);
          assert.equal(await cards.count(), 7);
          await a.page.getByTestId("filter-age-min").fill("40");
          await a.page.getByTestId("filter-age-max").fill("30");
          await a.page.getByTestId("filter-apply").click();
          await a.page.getByTestId("error-ageMax").waitFor();
          assert.equal(
            await a.page.getByTestId("filter-age-max").getAttribute("aria-invalid"),
            "true",
          );
          await a.page.getByTestId("filter-age-min").fill("30");
          await a.page.getByTestId("filter-age-max").fill("40");
          await a.page.getByTestId("filter-apply").click();
          await a.page.getByTestId("vault-empty").waitFor();
          await screenshot(a.page, "vault-filtered-empty");

          // Editing: a server refusal lands next to its field; a good change is saved.
          await a.page.goto(base + "/profile/edit");
          assert.equal(await a.page.title(), "Edit profile · Aurum Circle");
          const editJs = await pageJs(browser, a.context, base + "/profile/edit");
          console.log("/profile/edit JS:", editJs);
          assert.ok(editJs.gzip <= BUDGET, `/profile/edit ships ${editJs.gzip} B gzip`);
          await a.page.getByTestId("field-contactHandle").fill("has spaces");
          await a.page.getByTestId("save-profile").click();
          await a.page.getByTestId("error-contactHandle").waitFor();
          assert.equal(await focusedId(a.page), "contactHandle");
          await a.page.getByTestId("field-contactHandle").fill("@aurelia");
          await a.page.getByTestId("field-bio").fill("Changed by the editor.");
          await a.page.getByTestId("save-profile").click();
          await a.page.waitForFunction(() =>
            /Saved/.test(document.querySelector('[data-testid="save-status"]')?.textContent ?? "")
          );
          await screenshot(a.page, "profile-edit");
          await a.page.goto(base + "/vault");
          await a.page.getByTestId("own-card").locator("a.me__link").click();
          await a.page.waitForURL(/\/members\//);
          assert.equal(
            await a.page.getByTestId("member-profile").getAttribute("data-view"),
            "owner",
          );
          assert.match(
            await a.page.getByTestId("member-profile").innerText(),
            /Changed by the editor/,
          );
          assert.match(await a.page.getByTestId("member-contact").innerText(), /@aurelia/);
          assert.deepEqual(a.errors, []);
        } finally {
          await a.context.close();
        }
      })
    );
  },
});
