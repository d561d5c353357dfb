/**
 * In Chromium at 390×844, on a real anvil: the event page for a member without a ticket (the venue
 * kept for holders, times in the browser's zone with the zone remembered for the server) and for a
 * holder whose ticket cannot reach the wallet while the chain is down (a plain state, polling
 * stopped, the QR with a proper refresh button; minted once the chain is back); then the invites
 * page's share action (Web Share, and the copy fallback) and the header's short wallet.
 * Tap targets ≥ 44 px and text ≥ 14 px on each; screenshots in tests/output/.
 */
import assert from "node:assert/strict";
import type { BrowserContext, Page } from "playwright-core";
import { createEvent } from "@/core/events/events.ts";
import { systemClock } from "@/core/clock.ts";
import { formatDateIn } from "@/components/events/format.ts";
import { startTicketChain } from "@/tests/events/helpers.ts";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { measure } from "@/tests/helpers/ux_measure.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";
import { validInput } from "@/tests/profiles/_helpers.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const BUDGET = 12 * 1024;

/** Fails with the page's small targets and tiny text, if any. */
async function assertLegible(page: Page, what: string) {
  await page.evaluate(() => document.fonts.ready);
  const { small, tiny } = await measure(page);
  assert.deepEqual([...small, ...tiny], [], what);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  return errors;
}

Deno.test({
  name:
    "[events] Chromium: venue for holders, local times, a ticket while the chain is down, invite sharing",
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const chain = await startTicketChain();
    try {
      await withAppServer(async ({ url, kv }) => {
        const headers = { origin: url };
        const event = await createEvent(kv, systemClock, {
          name: "Golden Hour",
          description: "A toast on the terrace at sunset.\nDress: anything gold.",
          venue: "The Old Library, 3 Quay Street",
          venueHoldersOnly: true,
          startsAt: Date.now() + 26 * 3600_000,
          endsAt: Date.now() + 29 * 3600_000,
          maxTickets: 20,
        });
        await withBrowser(async (browser) => {
          const member = async (persona: string, name: string, timezoneId: string) => {
            const context = await browser.newContext({ ...PHONE, timezoneId });
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
            return context;
          };
          const contexts: BrowserContext[] = [];
          try {
            // ---- a member without a ticket, in Paris ----
            const keira = await member("keyholder", "Keira", "Europe/Paris");
            contexts.push(keira);
            const page = await keira.newPage();
            const errors = watchErrors(page);
            await page.goto(`${url}/events/${event.id}`, { waitUntil: "load" });
            const starts = page.getByTestId("event-starts").locator("time");
            // First visit: rendered in UTC, rewritten in the browser's zone by local_times.js.
            await page.waitForSelector(
              '[data-testid="event-starts"] time[data-zone="Europe/Paris"]',
            );
            const paris = formatDateIn(event.startsAt, "Europe/Paris");
            assert.equal(await starts.textContent(), paris);
            assert.equal(await starts.getAttribute("title"), formatDateIn(event.startsAt, "UTC"));
            const tz = (await keira.cookies(url)).find((c) => c.name === "tz");
            assert.equal(tz?.value, "Europe/Paris");
            // The next page is written in that zone by the server: the same words, no rewrite.
            const served = await (await keira.request.get(`${url}/events/${event.id}`)).text();
            assert.ok(served.includes(`data-zone="Europe/Paris">${paris}</time>`), "server-side");
            const venue = page.getByTestId("event-venue");
            assert.equal(await venue.innerText(), "Venue revealed to ticket holders");
            assert.ok(!(await page.content()).includes("Old Library"));
            assert.match(await page.getByTestId("event-description").innerText(), /Dress/);
            await assertLegible(page, "event page, no ticket");
            await screenshot(page, "events-event-non-holder");
            assert.deepEqual(errors, []);

            // ---- a holder, in Tokyo, while the chain is down ----
            const ines = await member("invitee", "Ines", "Asia/Tokyo");
            contexts.push(ines);
            const holder = await ines.newPage();
            const holderErrors = watchErrors(holder);
            const polls: number[] = [];
            holder.on("request", (r) => {
              if (r.url().includes("/api/tickets/")) polls.push(Date.now());
            });
            await chain.stopNode();
            await holder.goto(`${url}/events/${event.id}`, { waitUntil: "load" });
            await holder.getByTestId("claim-ticket").click();
            const status = holder.getByTestId("ticket-status");
            await holder.waitForSelector(
              '[data-testid="ticket-status"][data-collectible="delayed"]',
              {
                timeout: 20_000,
              },
            );
            assert.match(await status.innerText(), /confirmed and valid for check-in/);
            assert.match(
              await holder.getByTestId("ticket-delayed-note").innerText(),
              /when the network is back/,
            );
            const stoppedAt = polls.length;
            await holder.waitForTimeout(4_000);
            assert.equal(polls.length, stoppedAt, "no more status checks once delayed");
            await screenshot(holder, "events-ticket-delayed-live");

            await holder.getByRole("link", { name: "Show my check-in code" }).click();
            await holder.waitForSelector('[data-testid="checkin-qr"] svg path');
            assert.equal(
              await holder.getByTestId("event-venue").innerText(),
              "The Old Library, 3 Quay Street",
            );
            assert.equal(
              await holder.getByTestId("event-starts").locator("time").textContent(),
              formatDateIn(event.startsAt, "Asia/Tokyo"),
            );
            const refresh = holder.getByTestId("qr-refresh");
            const box = (await refresh.boundingBox())!;
            assert.ok(box.height >= 44 && box.width >= 44, `refresh ${box.width}×${box.height}`);
            assert.equal(await refresh.evaluate((el) => el.tagName), "BUTTON");
            await assertLegible(holder, "event page, delayed ticket");
            await screenshot(holder, "events-event-holder-delayed");
            await refresh.click();
            await holder.waitForURL(/\?refresh=\d+#ticket$/);
            await holder.waitForSelector('[data-testid="checkin-qr"] svg path');

            // The chain comes back: the job's retry adds the collectible; the page says it is ready.
            await chain.restartNode();
            const [entry] = await Array.fromAsync(
              kv.list<string>({ prefix: ["tickets_by_event", event.id] }),
            );
            const deadline = Date.now() + 60_000;
            while (true) {
              const ticket = (await kv.get<{ status: string }>(["tickets", entry.value])).value!;
              if (ticket.status === "minted") break;
              assert.ok(Date.now() < deadline, `still ${ticket.status} after the chain came back`);
              await new Promise((resolve) => setTimeout(resolve, 200));
            }
            await holder.reload({ waitUntil: "load" });
            assert.match(await status.innerText(), /Your ticket is ready/);
            await screenshot(holder, "events-event-holder-ready");
            assert.deepEqual(holderErrors, []);

            // ---- the invites page: share, and copy where sharing is unavailable ----
            const invite = await ines.request.post(`${url}/api/invites`, { headers });
            assert.equal(invite.status(), 201, await invite.text());
            const { link } = await invite.json() as { link: string };
            const invites = await ines.newPage();
            const inviteErrors = watchErrors(invites);
            await invites.addInitScript(() => {
              const shared: unknown[] = [];
              (globalThis as Record<string, unknown>).__shared = shared;
              Object.defineProperty(navigator, "share", {
                value: (data: unknown) => {
                  shared.push(data);
                  return Promise.resolve();
                },
              });
            });
            const scripts: Promise<Uint8Array>[] = [];
            invites.on("response", (response) => {
              if (/javascript/.test(response.headers()["content-type"] ?? "")) {
                scripts.push(response.body().then((b) => new Uint8Array(b)));
              }
            });
            await invites.goto(`${url}/invites`, { waitUntil: "networkidle" });
            let gzip = 0;
            for (const body of scripts) gzip += await gzipSize(await body);
            console.log(`/invites JS: ${scripts.length} files, ${gzip} B gzip`);
            assert.ok(gzip <= BUDGET, `/invites ships ${gzip} B gzip`);
            const name = await invites.getByTestId("session-name").innerText();
            assert.match(name, /^0x[0-9a-fA-F]{4}…[0-9a-fA-F]{4}$/, "the header names the wallet");
            await invites.getByTestId("invite-share").click();
            await invites.waitForFunction(() =>
              document.querySelector('[data-testid="invite-share-note"]')?.textContent?.startsWith(
                "Sent.",
              )
            );
            const shared = await invites.evaluate(() =>
              (globalThis as Record<string, unknown>).__shared
            ) as { url: string; text: string }[];
            assert.equal(shared.length, 1);
            assert.equal(shared[0].url, link);
            assert.match(shared[0].text, /I vouch for you/);
            await assertLegible(invites, "invites page");
            await screenshot(invites, "events-invites-share");
            assert.deepEqual(inviteErrors, []);

            await ines.grantPermissions(["clipboard-read", "clipboard-write"], { origin: url });
            const plain = await ines.newPage();
            await plain.addInitScript(() => {
              Object.defineProperty(navigator, "share", { value: undefined });
            });
            await plain.goto(`${url}/invites`, { waitUntil: "load" });
            await plain.getByTestId("invite-share").click();
            await plain.waitForFunction(() =>
              /copied instead/.test(
                document.querySelector('[data-testid="invite-share-note"]')?.textContent ?? "",
              )
            );
            assert.equal(await plain.evaluate(() => navigator.clipboard.readText()), link);
          } finally {
            for (const context of contexts) await context.close();
          }
        });
      }, { prefix: "aurum-events-pages-", tickets: chain.ticketChain, jobs: true });
    } finally {
      await chain.stop();
    }
  },
});
