/**
 * A newcomer's whole journey in Chromium at 390×844, against the real app, a real anvil node and
 * the queue worker: a member's invite link → sign in (the invite kept through it) → redeem →
 * onboarding (a group photo refused as the main photo) → the vault → the inviter's page → Signal →
 * the inviter signals back → the full-screen match reveal on both sides → "Say hello" → a
 * conversation live both ways → Events → a ticket (minted, venue revealed, check-in code).
 * On every member page: the tab bar, 44 px targets, 14 px text and no configuration variable name.
 * Screenshots under tests/output/journey-*.png.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { createEvent } from "@/core/events/events.ts";
import { systemClock } from "@/core/clock.ts";
import { startTicketChain } from "@/tests/events/helpers.ts";
import { withAppServer } from "@/tests/helpers/app_server.ts";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { measure } from "@/tests/helpers/ux_measure.ts";
import { member, portraitPhoto } from "./_two_members.ts";
import { onboard } from "./_onboarding.ts";

const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 1 };
/** An environment variable's shape (`GATE_CONTRACT`, `S3_BUCKET`…): never for members' eyes. */
const CONFIG_NAME = /\b[A-Z][A-Z0-9]*_[A-Z0-9_]*[A-Z0-9]\b/;

/** Checks what every member page owes the member, collecting failures with the page's name. */
async function checkMemberPage(page: Page, name: string, failures: string[]) {
  await page.evaluate(() => document.fonts.ready);
  if (!(await page.getByTestId("tabbar").isVisible())) failures.push(`${name}: no tab bar`);
  const { small, tiny } = await measure(page);
  for (const s of small) failures.push(`${name}: tap target ${s}`);
  for (const t of tiny) failures.push(`${name}: small text ${t}`);
  const text = await page.locator("body").innerText();
  const config = text.match(CONFIG_NAME);
  if (config) failures.push(`${name}: shows "${config[0]}"`);
  await screenshot(page, `journey-${name}`);
}

/** Waits for the page's live event stream (its islands have hydrated). */
function streamOpened(page: Page) {
  return page.waitForResponse((r) => r.url().includes("/api/notifications/stream"));
}

Deno.test({
  name:
    "[journey] invite link → sign in → onboarding → vault → member → signal → reveal → conversation → events → ticket",
  // The live stream is left open by the pages until their contexts close.
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    const chain = await startTicketChain();
    const failures: string[] = [];
    try {
      await withAppServer(async ({ url, kv }) => {
        const event = await createEvent(kv, systemClock, {
          name: "Midnight Library",
          description: "Readings by candlelight, then music in the stacks.",
          venue: "The Orangery, 4 Rue des Archives",
          venueHoldersOnly: true,
          startsAt: Date.now() + 50 * 3600_000,
          endsAt: Date.now() + 53 * 3600_000,
          maxTickets: 30,
        });
        await withBrowser(async (browser) => {
          // The inviter: an admitted member with a profile, who sends an invite.
          const inviter = await member(browser, url, "keyholder", "Keira", await portraitPhoto());
          const invited = await inviter.context.request.post(`${url}/api/invites`, {
            data: {},
            headers: { origin: url },
          });
          assert.equal(invited.status(), 201, await invited.text());
          const body = await invited.json();
          const code: string = body.invite?.code ?? body.code;

          const context = await browser.newContext(PHONE);
          const page = await context.newPage();
          const errors: string[] = [];
          page.on("pageerror", (e) => errors.push(e.message));
          page.on("console", (m) => {
            if (m.type() === "error" && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
          });
          try {
            // ---- the invite link, signed out: sign in, and come back to the invite ----
            await page.goto(`${url}/invite/${code}`);
            await screenshot(page, "journey-01-invite");
            await page.getByRole("link", { name: "Sign in" }).click();
            await page.waitForURL(`${url}/signin?next=${encodeURIComponent(`/invite/${code}`)}`);
            await page.getByTestId("dev-persona-seeker").check();
            await page.getByTestId("dev-signin").click();
            await page.waitForURL(`${url}/invite/${code}`);
            await page.getByRole("button", { name: "Use the invite and enter" }).click();

            // ---- onboarding: the vault sends the new member there first ----
            await page.waitForURL(`${url}/onboarding`);
            await onboard(page, {
              name: "Aurelio",
              dob: "2000-06-01",
              university: "",
              year: "",
              tags: ["night_owl", "chess", "poet"],
              photo: "sample2.jpg",
              gender: "man",
              interestedIn: ["woman"],
              city: "Lyon",
              region: "europe",
            }, true);

            const me = await page.request.get(`${url}/api/profiles/me`);
            const myProfileId: string = (await me.json()).id;

            // ---- the vault: the inviter is there, veiled ----
            await checkMemberPage(page, "02-vault", failures);
            assert.equal(
              await page.getByTestId("tab-vault").getAttribute("aria-current"),
              "page",
              "the current tab is marked",
            );
            const card = page.locator(
              `[data-testid="vault-grid"] [data-testid="vault-card"]`,
              { hasText: "Keira" },
            );
            const opened = streamOpened(page);
            await card.getByRole("link", { name: /Keira/ }).click();
            await page.waitForURL(`${url}/members/${inviter.profileId}`);
            await opened;
            await checkMemberPage(page, "03-member", failures);

            // ---- Signal, then the inviter signals back: the reveal on both sides ----
            const signal = page.locator(`[data-testid="signal"][data-profile] button`).first();
            await signal.click();
            await page.waitForSelector(`[data-testid="signal"][data-state="sent"]`);
            const inviterStream = streamOpened(inviter.page);
            await inviter.page.goto(`${url}/vault`);
            await inviterStream;
            await inviter.page.locator(
              `[data-testid="vault-grid"] [data-testid="signal"][data-profile="${myProfileId}"] button`,
            ).click();
            for (const m of [page, inviter.page]) {
              const reveal = m.getByTestId("match-reveal");
              await reveal.waitFor({ timeout: 15_000 });
              await reveal.evaluate((el) => Promise.all(el.getAnimations().map((x) => x.finished)));
              await m.waitForFunction(() =>
                [...document.querySelectorAll<HTMLImageElement>("img.reveal__photo")]
                  .every((img) => img.complete && img.naturalWidth > 0)
              );
            }
            assert.match(await page.getByTestId("match-reveal").innerText(), /Keira/);
            await screenshot(page, "journey-04-reveal");

            // ---- "Say hello": the conversation, live both ways ----
            await page.getByTestId("say-hello").click();
            await page.waitForURL(/\/matches\/[0-9a-f]{64}$/);
            const thread = page.url();
            const inviterThread = streamOpened(inviter.page);
            await inviter.page.getByTestId("say-hello").click();
            await inviter.page.waitForURL(thread);
            await inviterThread;
            await page.getByTestId("composer-text").fill("Thank you for the invite, Keira.");
            await page.getByTestId("composer-send").click();
            await inviter.page.locator("[data-testid=message][data-mine=false]", {
              hasText: "Thank you for the invite",
            }).waitFor({ timeout: 10_000 });
            await inviter.page.getByTestId("composer-text").fill(
              "Welcome. See you at the library?",
            );
            await inviter.page.getByTestId("composer-send").click();
            await page.locator("[data-testid=message][data-mine=false]", { hasText: "library" })
              .waitFor({ timeout: 10_000 });
            await page.getByTestId("seen").waitFor({ timeout: 10_000 });
            await checkMemberPage(page, "05-conversation", failures);

            // ---- Events: the tab, the event, a ticket; the venue appears for holders ----
            await page.getByTestId("tab-events").click();
            await page.waitForURL(`${url}/events`);
            await checkMemberPage(page, "06-events", failures);
            await page.getByRole("link", { name: "Midnight Library" }).click();
            await page.waitForURL(`${url}/events/${event.id}`);
            assert.doesNotMatch(await page.locator("main").innerText(), /Orangery/);
            await page.getByTestId("claim-ticket").click();
            await page.waitForSelector('[data-testid="ticket-status"][data-status="minted"]', {
              timeout: 30_000,
            });
            await page.reload();
            assert.match(await page.getByTestId("event-venue").innerText(), /The Orangery/);
            // The holder's page carries the ticket with its check-in code.
            await page.waitForSelector('[data-testid="checkin-qr"] svg path');
            await checkMemberPage(page, "07-event-ticket", failures);

            // ---- the other tabs a member reaches from here ----
            for (const [tab, path] of [["matches", "/matches"], ["invites", "/invites"]]) {
              await page.getByTestId(`tab-${tab}`).click();
              await page.waitForURL(`${url}${path}`);
              await checkMemberPage(page, `08-${tab}`, failures);
            }
            assert.deepEqual(failures, []);
            assert.deepEqual(errors, []);
            assert.deepEqual(inviter.errors.filter((e) => !/status of 4\d\d/.test(e)), []);
          } finally {
            await context.close();
            await inviter.context.close();
          }
        });
      }, { prefix: "aurum-journey-", tickets: chain.ticketChain, jobs: true });
    } finally {
      await chain.stop();
    }
  },
});
