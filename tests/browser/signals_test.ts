/**
 * Two members in two Chromium contexts (dev personas keyholder and invitee, each with a profile and
 * a real face photo from the face-api demo set, created through the API): A signals B, B signals A,
 * both get the match banner live over SSE, A's button turns "matched" without a reload, and each
 * now receives the other's real photo instead of the blurred thumbnail.
 */
import assert from "node:assert/strict";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";
import { plainJpeg, uprightPhoto } from "@/tests/profiles/_photos.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const DEMO = new URL("../../node_modules/@vladmandic/face-api/demo/", import.meta.url);

async function withServer(fn: (url: string) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-signals-browser-" });
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: "true", DATA_DIR: dataDir });
  const app = await createApp({ kv, logger: createMemoryLogger(), config }, { dev: true });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (req, info) => app.fetch(req, info),
  );
  try {
    await fn(`http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
    await app.deps.cache.close();
    await app.deps.ml.close?.();
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

interface Member {
  context: BrowserContext;
  page: Page;
  errors: string[];
  profileId: string;
  photoId: string;
}

/** Signs in as `persona`, creates the profile and uploads the photo, all through the API. */
async function member(
  browser: Browser,
  url: string,
  persona: string,
  name: string,
  photo: string | Uint8Array,
): Promise<Member> {
  const context = await browser.newContext(PHONE);
  const headers = { origin: url };
  const signIn = await context.request.post(`${url}/api/auth/dev`, {
    data: { persona },
    headers,
  });
  assert.equal(signIn.status(), 200, await signIn.text());
  const created = await context.request.post(`${url}/api/profiles`, {
    data: validInput({ displayName: name }),
    headers,
  });
  assert.equal(created.status(), 201, await created.text());
  const profileId = (await created.json()).profile.id;
  const upload = await context.request.post(`${url}/api/profiles/${profileId}/photos`, {
    data: Buffer.from(
      typeof photo === "string" ? await Deno.readFile(new URL(photo, DEMO)) : photo,
    ),
    headers: { ...headers, "content-type": "image/jpeg" },
  });
  assert.equal(upload.status(), 201, await upload.text());
  const photoId = (await upload.json()).photo.id;
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return { context, page, errors, profileId, photoId };
}

async function photoBytes(who: Member, url: string, of: Member): Promise<Uint8Array> {
  const res = await who.context.request.get(
    `${url}/api/profiles/${of.profileId}/photos/${of.photoId}?size=card`,
  );
  assert.equal(res.status(), 200);
  return new Uint8Array(await res.body());
}

/** Opens the vault and waits until the live stream is connected (the islands have hydrated). */
async function openVault(m: Member, url: string) {
  const stream = m.page.waitForResponse((r) => r.url().includes("/api/notifications/stream"));
  await m.page.goto(`${url}/vault`, { waitUntil: "load" });
  await stream;
}

Deno.test({
  name: "[signals] two members in Chromium: signal, signal back, live match, real photos unlock",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withServer(async (url) => {
      await withBrowser(async (browser) => {
        // The demo photo with one face, and a part of it: two photos that pass as main photos.
        const portrait = await plainJpeg(await uprightPhoto());
        const a = await member(browser, url, "keyholder", "Keira", portrait);
        const b = await member(browser, url, "invitee", "Ines", "sample2.jpg");
        try {
          const blurredOfB = await photoBytes(a, url, b);
          const blurredOfA = await photoBytes(b, url, a);
          const realOfB = await photoBytes(b, url, b); // the owner always gets the real rendition
          const realOfA = await photoBytes(a, url, a);
          assert.notDeepEqual(blurredOfB, realOfB);

          await openVault(a, url);
          await openVault(b, url);
          const buttonOf = (m: Member, other: Member) =>
            m.page.locator(`[data-testid="signal"][data-profile="${other.profileId}"]`);

          await buttonOf(a, b).locator("button").click();
          await a.page.waitForSelector(
            `[data-testid="signal"][data-profile="${b.profileId}"][data-state="sent"]`,
          );
          // B does not learn who signalled: the card still offers a plain signal.
          assert.equal(await buttonOf(b, a).getAttribute("data-state"), "none");

          await buttonOf(b, a).locator("button").click();
          await b.page.waitForSelector(
            `[data-testid="signal"][data-profile="${a.profileId}"][data-state="matched"]`,
          );
          // A sees the match live: the banner and the button, without a reload.
          await a.page.getByTestId("match-toast").waitFor({ timeout: 10_000 });
          await b.page.getByTestId("match-toast").waitFor({ timeout: 10_000 });
          await a.page.waitForSelector(
            `[data-testid="signal"][data-profile="${b.profileId}"][data-state="matched"]`,
          );
          assert.match(await a.page.getByTestId("match-toast").innerText(), /Ines/);
          assert.match(await b.page.getByTestId("match-toast").innerText(), /Keira/);
          const link = a.page.getByTestId("match-toast").locator("a");
          assert.equal(await link.getAttribute("href"), `/members/${b.profileId}`);
          await screenshot(a.page, "signals-match-a");

          const unlockedB = await photoBytes(a, url, b);
          const unlockedA = await photoBytes(b, url, a);
          assert.notDeepEqual(unlockedB, blurredOfB);
          assert.notDeepEqual(unlockedA, blurredOfA);
          assert.deepEqual(unlockedB, realOfB);
          assert.deepEqual(unlockedA, realOfA);
          // The member page offers the same island, hydrated in the matched state.
          await a.page.goto(`${url}/members/${b.profileId}`);
          await a.page.waitForSelector(
            `[data-testid="signal"][data-profile="${b.profileId}"][data-state="matched"]`,
          );
          await a.page.getByTestId("member-contact").waitFor();
          assert.deepEqual(a.errors, []);
          assert.deepEqual(b.errors, []);
        } finally {
          await a.context.close();
          await b.context.close();
        }
      });
    });
  },
});
