import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getAddress } from "viem";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import { DEV_PERSONAS } from "@/core/auth/dev_personas.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const BUDGET = 12 * 1024;
/** Strings only the MiniKit SDK chunk contains. */
const MINIKIT_MARKERS = /miniapp-wallet-auth|outside_of_worldapp/;

/** Serves the real app (islands built in memory) on a random loopback port. */
async function withServer(devSignIn: boolean, fn: (url: string) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const config = loadConfig({ AURUM_ENV: "test", DEV_SIGN_IN: String(devSignIn) });
  const app = await createApp({ kv, logger: createMemoryLogger(), config }, { dev: true });
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

/** Records every JavaScript response of a page (url → body). */
function recordScripts(page: Page): Map<string, Promise<Uint8Array>> {
  const scripts = new Map<string, Promise<Uint8Array>>();
  page.on("response", (response) => {
    if (/javascript/.test(response.headers()["content-type"] ?? "")) {
      const body = response.body().then((b) => new Uint8Array(b));
      // A page we navigate away from drops its bodies: only a report that reads them may fail.
      body.catch(() => {});
      scripts.set(response.url(), body);
    }
  });
  return scripts;
}

async function jsReport(scripts: Map<string, Promise<Uint8Array>>) {
  let gzip = 0;
  let minikit = false;
  const decoder = new TextDecoder();
  for (const body of scripts.values()) {
    const bytes = await body;
    gzip += await gzipSize(bytes);
    if (MINIKIT_MARKERS.test(decoder.decode(bytes))) minikit = true;
  }
  return { files: scripts.size, gzip, minikit };
}

/** Opens `path` with script recording on from the first request. */
async function openRecorded(
  browser: Parameters<Parameters<typeof withBrowser>[0]>[0],
  url: string,
  init?: string,
) {
  const context = await browser.newContext(PHONE);
  if (init) await context.addInitScript({ content: init });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("console", (m) => {
    // Chromium logs every 4xx; a 401 from /api/auth/session just means "signed out".
    if (m.type() === "error" && !/status of 401/.test(m.text())) errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  const scripts = recordScripts(page);
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, scripts, close: () => context.close() };
}

Deno.test({
  name: "[signin] outside World App, no dev sign-in: explanation, no MiniKit, JS budget",
  fn: async () => {
    await withServer(false, (url) =>
      withBrowser(async (browser) => {
        const opened = await openRecorded(browser, url + "/signin");
        try {
          const { page } = opened;
          assert.equal(await page.title(), "Sign in · Aurum Circle");
          await page.getByTestId("outside-world-app").waitFor();
          const link = page.getByTestId("open-in-world-app");
          assert.match(
            (await link.getAttribute("href"))!,
            /^https:\/\/world\.org\/mini-app\?app_id=app_/,
          );
          assert.ok(await page.getByTestId("worldid-outside").isVisible());
          assert.equal(await page.getByTestId("connect-wallet").count(), 0);
          assert.equal(await page.getByTestId("dev-section").count(), 0);
          await page.waitForSelector('[data-testid="session-indicator"][data-state="signed-out"]');
          assert.ok(await page.getByTestId("session-signin").isVisible());
          const network = page.getByTestId("network-indicator");
          assert.equal(await network.getAttribute("data-online"), "true");
          assert.doesNotMatch(await network.innerText(), /chain/i, "no chain name for members");
          await page.context().setOffline(true);
          await page.waitForSelector('[data-testid="network-indicator"][data-online="false"]');
          await page.context().setOffline(false);
          await page.waitForSelector('[data-testid="network-indicator"][data-online="true"]');
          const js = await jsReport(opened.scripts);
          console.log("/signin (no dev sign-in) JS:", js);
          assert.equal(js.minikit, false, "the MiniKit chunk is not downloaded");
          assert.ok(js.gzip <= BUDGET, `/signin ships ${js.gzip} B gzip`);
          assert.deepEqual(opened.errors, []);
        } finally {
          await opened.close();
        }
      }));
  },
});

Deno.test({
  name: "[signin] dev sign-in in Chromium: persona → session indicator → sign out",
  fn: async () => {
    await withServer(true, (url) =>
      withBrowser(async (browser) => {
        const opened = await openRecorded(browser, url + "/signin");
        try {
          const { page } = opened;
          await page.waitForSelector('[data-testid="session-indicator"][data-state="signed-out"]');
          assert.ok(await page.getByTestId("dev-section").isVisible());
          assert.match(await page.getByTestId("outside-world-app").innerText(), /persona/);
          const js = await jsReport(opened.scripts);
          console.log("/signin (dev sign-in) JS:", js);
          assert.equal(js.minikit, false);
          assert.ok(js.gzip <= BUDGET, `/signin with dev sign-in ships ${js.gzip} B gzip`);
          await screenshot(page, "signin");

          const seeker = DEV_PERSONAS.find((p) => p.id === "seeker")!;
          await page.getByTestId("dev-persona-seeker").check();
          await page.getByTestId("dev-signin").click();
          await page.waitForURL(url + "/gate");
          await page.waitForSelector('[data-testid="session-indicator"][data-state="signed-in"]');
          const name = await page.getByTestId("session-name").textContent();
          const address = getAddress(seeker.wallet); // the session shows the checksummed form
          assert.equal(name, `${address.slice(0, 6)}…${address.slice(-4)}`);
          assert.ok(await page.getByTestId("session-worldid").isVisible(), "World ID badge");
          assert.ok(await page.getByTestId("nft-recheck").isVisible());
          for (const width of [390, 360]) {
            await page.setViewportSize({ width, height: 844 });
            const box = await page.getByTestId("signout").boundingBox();
            assert.ok(box && box.x + box.width <= width, `sign out fits a ${width} px header`);
            const name = page.getByTestId("session-name");
            assert.ok(
              await name.evaluate((el) => el.scrollWidth <= el.clientWidth),
              `the member's name is not cut at ${width} px`,
            );
          }
          await screenshot(page, "gate-360");
          await screenshot(page, "gate");

          await page.getByTestId("signout").click();
          await page.waitForURL(url + "/");
          await page.goto(url + "/signin");
          await page.waitForSelector('[data-testid="session-indicator"][data-state="signed-out"]');
          assert.equal(await page.getByTestId("session-name").count(), 0);
          assert.deepEqual(opened.errors, []);
        } finally {
          await opened.close();
        }
      }));
  },
});

/** A stand-in for World App's webview: `window.WorldApp` and the iOS message bridge. */
const FAKE_WORLD_APP = `
  window.__sent = [];
  window.WorldApp = {
    world_app_version: 2087901, device_os: "ios", is_optional_analytics: false,
    preferred_currency: "USD", location: null, safe_area_insets: { top: 0, right: 0, bottom: 0, left: 0 },
    supported_commands: ["verify", "pay", "wallet-auth", "send-transaction", "sign-message",
      "sign-typed-data", "share-contacts", "request-permission", "get-permissions",
      "send-haptic-feedback", "share", "chat", "attestation", "close-miniapp"]
      .map((name) => ({ name, supported_versions: [1, 2] })),
  };
  window.webkit = { messageHandlers: { minikit: { postMessage: (m) => window.__sent.push(m) } } };
`;

Deno.test({
  name: "[signin] inside World App: MiniKit loads on demand and walletAuth carries our nonce",
  fn: async () => {
    await withServer(true, (url) =>
      withBrowser(async (browser) => {
        const opened = await openRecorded(browser, url + "/signin", FAKE_WORLD_APP);
        try {
          const { page } = opened;
          await page.waitForSelector('[data-testid="session-indicator"][data-state="signed-out"]');
          const connect = page.getByTestId("connect-wallet");
          assert.equal(await page.getByTestId("outside-world-app").count(), 0);
          assert.equal(await page.getByTestId("dev-signin").isVisible(), false, "no personas");
          assert.equal((await jsReport(opened.scripts)).minikit, false, "not before the tap");

          await connect.click();
          await page.waitForFunction(() =>
            (globalThis as unknown as { __sent: { command: string }[] }).__sent
              .some((m) => m.command === "wallet-auth")
          );
          const sent = await page.evaluate(() =>
            (globalThis as unknown as { __sent: { command: string; payload: unknown }[] }).__sent
          );
          const auth = sent.find((m) => m.command === "wallet-auth")!.payload as {
            siweMessage: string;
          };
          const nonce = /Nonce: ([A-Za-z0-9]{16,})/.exec(auth.siweMessage)?.[1];
          assert.ok(nonce, "a server nonce in the message");
          assert.match(auth.siweMessage, /Enter Aurum Circle/);
          assert.equal((await jsReport(opened.scripts)).minikit, true, "MiniKit loaded on tap");

          await page.evaluate(() =>
            (globalThis as unknown as {
              MiniKit: { trigger(e: string, p: unknown): void };
            }).MiniKit.trigger("miniapp-wallet-auth", {
              status: "error",
              error_code: "user_rejected",
              version: 2,
            })
          );
          const status = page.getByTestId("connect-wallet-status");
          await page.waitForSelector('[data-testid="connect-wallet-status"][data-kind="error"]');
          assert.match(await status.innerText(), /closed the request/);
          assert.deepEqual(opened.errors, []);
        } finally {
          await opened.close();
        }
      }));
  },
});
