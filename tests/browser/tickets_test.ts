/**
 * In Chromium: a member opens an event, claims a ticket and sees it turn from pending to minted
 * without a reload (real anvil, the queue worker running in this process); then the ticket shows
 * its check-in QR (server-rendered SVG). Also checks the event page's JS budget.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { getAddress } from "viem";
import { DEV_PERSONAS } from "@/core/auth/dev_personas.ts";
import { createEvent } from "@/core/events/events.ts";
import { fixedClock, systemClock } from "@/core/clock.ts";
import { encodeQr } from "@/core/qr.ts";
import { checkIn, issueCheckInToken, type Ticket } from "@/core/events/tickets.ts";
import { startTicketChain } from "@/tests/events/helpers.ts";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { gzipSize } from "@/tests/helpers/gzip.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
const BUDGET = 12 * 1024;

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

Deno.test({
  name: "[tickets] Chromium: claim a ticket, pending → minted live without a reload, then the QR",
  fn: async () => {
    const chain = await startTicketChain();
    const member = DEV_PERSONAS.find((p) => p.id === "invitee")!;
    try {
      await withAppServer(async ({ url, kv, config }) => {
        const event = await createEvent(kv, systemClock, {
          name: "Golden Hour",
          description: "A toast on the terrace.",
          startsAt: Date.now() + 26 * 3600_000,
          endsAt: Date.now() + 28 * 3600_000,
          maxTickets: 20,
        });
        await withBrowser(async (browser) => {
          const context = await browser.newContext(PHONE);
          const signIn = await context.request.post(url + "/api/auth/dev", {
            data: { persona: member.id },
            headers: { origin: url },
          });
          assert.equal(signIn.status(), 200);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("console", (m) => {
            if (m.type() === "error") errors.push(m.text());
          });
          page.on("pageerror", (e) => errors.push(e.message));
          try {
            await page.goto(url + "/events", { waitUntil: "load" });
            await page.getByRole("link", { name: "Golden Hour" }).click();
            await page.waitForURL(`${url}/events/${event.id}`);
            await page.waitForLoadState("load");

            // The countdown shows the server's value, then ticks in the browser.
            const countdown = page.getByTestId("countdown");
            const first = await countdown.innerText();
            assert.match(first, /Doors open in 1d 0[12]h/);
            await page.waitForFunction(
              (before) =>
                document.querySelector('[data-testid="countdown"]')?.textContent !== before,
              first,
              { timeout: 5_000 },
            );

            await page.evaluate(() =>
              (globalThis as Record<string, unknown>).__sameDocument = true
            );
            await page.getByTestId("claim-ticket").click();
            await page.waitForSelector(
              '[data-testid="ticket-status"][data-status="pending_mint"]',
              {
                timeout: 5_000,
              },
            ).catch(async (error) => {
              const text = await page.getByTestId("ticket-minter").innerText();
              throw new Error(`no pending ticket: ${text} ${errors.join("; ")}`, { cause: error });
            });
            assert.match(
              await page.getByTestId("ticket-status").innerText(),
              /Your ticket is confirmed · adding it to your wallet/,
            );
            await page.waitForSelector('[data-testid="ticket-status"][data-status="minted"]', {
              timeout: 20_000,
            });
            assert.equal(
              await page.evaluate(() => (globalThis as Record<string, unknown>).__sameDocument),
              true,
              "no reload",
            );
            const status = await page.getByTestId("ticket-status").innerText();
            assert.match(status, /Your ticket is ready/);

            // On chain: the member holds the token.
            const [ticket] = await Array.fromAsync(
              kv.list<string>({ prefix: ["tickets_by_event", event.id] }),
            );
            const stored = (await kv.get<{ tokenId: string }>(["tickets", ticket.value])).value!;
            assert.equal(
              await chain.read("ownerOf", BigInt(stored.tokenId)),
              getAddress(member.wallet),
            );

            // JS budget of the event page alone (islands + runtime); no MiniKit for a free event.
            const fresh = await context.newPage();
            const scripts = recordScripts(fresh);
            await fresh.goto(`${url}/events/${event.id}`, { waitUntil: "networkidle" });
            let gzip = 0;
            const decoder = new TextDecoder();
            let minikit = false;
            const sizes: string[] = [];
            for (const [name, body] of scripts) {
              const bytes = await body;
              const size = await gzipSize(bytes);
              gzip += size;
              sizes.push(`${name.replace(url, "")} ${size}`);
              if (/miniapp-wallet-auth|outside_of_worldapp/.test(decoder.decode(bytes))) {
                minikit = true;
              }
            }
            console.log(`/events/:id JS: ${scripts.size} files, ${gzip} B gzip`, sizes);
            await fresh.close();
            assert.equal(minikit, false);
            assert.ok(gzip <= BUDGET, `the event page ships ${gzip} B gzip`);
            await screenshot(page, "event-minted");

            // The check-in code: the ticket panel with a server-rendered QR.
            await page.getByRole("link", { name: "Show my check-in code" }).click();
            await page.waitForSelector('[data-testid="checkin-qr"] svg path');
            assert.ok(await page.getByTestId("ticket-display").isVisible());
            // The QR on screen is exactly the code of a valid check-in token for this ticket.
            const d = await page.locator('[data-testid="checkin-qr"] svg path').getAttribute("d");
            const drawn = new Set(
              [...d!.matchAll(/M(\d+) (\d+)h1v1h-1z/g)].map((m) => `${m[1]},${m[2]}`),
            );
            const full = (await kv.get(["tickets", ticket.value])).value as Ticket;
            let token: string | null = null;
            for (let back = 0; back < 120 && !token; back++) {
              const at = fixedClock(Date.now() - back * 1000);
              const candidate =
                (await issueCheckInToken(full, config.tickets.checkinSecret, at)).token;
              const code = encodeQr(candidate);
              const cells = new Set<string>();
              code.modules.forEach((row, y) =>
                row.forEach((dark, x) => dark && cells.add(`${x + 4},${y + 4}`))
              );
              if (cells.size === drawn.size && [...cells].every((c) => drawn.has(c))) {
                token = candidate;
              }
            }
            assert.ok(token, "the QR encodes a check-in token of this ticket");
            const used = await checkIn(kv, systemClock, token, config.tickets.checkinSecret);
            assert.notEqual(used.checkedInAt, null);
            await screenshot(page, "event-ticket-qr");
            assert.deepEqual(errors, []);
          } finally {
            await context.close();
          }
        });
      }, { prefix: "aurum-tickets-browser-", tickets: chain.ticketChain, jobs: true });
    } finally {
      await chain.stop();
    }
  },
});
