/**
 * Two members in two Chromium contexts (dev personas keyholder and invitee, each with a profile and
 * a real face photo from the face-api demo set, created through the API): A signals B, B signals A,
 * both get the match reveal live over SSE, A's button turns "matched" without a reload, and each
 * now receives the other's real photo instead of the blurred thumbnail.
 */
import assert from "node:assert/strict";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import {
  type Member,
  member,
  openVault,
  photoBytes,
  portraitPhoto,
  withServer,
} from "./_two_members.ts";

Deno.test({
  name: "[signals] two members in Chromium: signal, signal back, live match, real photos unlock",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withServer(async (url) => {
      await withBrowser(async (browser) => {
        const a = await member(browser, url, "keyholder", "Keira", await portraitPhoto());
        const b = await member(browser, url, "invitee", "Ines", "sample2.jpg");
        try {
          const blurredOfB = await photoBytes(a, url, b);
          const blurredOfA = await photoBytes(b, url, a);
          const realOfB = await photoBytes(b, url, b); // the owner always gets the real rendition
          const realOfA = await photoBytes(a, url, a);
          assert.notDeepEqual(blurredOfB, realOfB);

          await openVault(a, url);
          await openVault(b, url);
          // The grid's card (the member may also be in a row above it, with its own button).
          const buttonOf = (m: Member, other: Member) =>
            m.page.getByTestId("vault-grid").locator(
              `[data-testid="signal"][data-profile="${other.profileId}"]`,
            );

          await buttonOf(a, b).locator("button").click();
          await a.page.waitForSelector(
            `[data-testid="vault-grid"] [data-testid="signal"][data-profile="${b.profileId}"][data-state="sent"]`,
          );
          // Every button for B on the page follows, Today's circle's included.
          const everyButton = a.page.locator(
            `[data-testid="signal"][data-profile="${b.profileId}"]`,
          );
          assert.ok(await everyButton.count() >= 2, "B is both in Today's circle and in the grid");
          for (
            const state of await everyButton.evaluateAll((els) =>
              els.map((el) => el.getAttribute("data-state"))
            )
          ) {
            assert.equal(state, "sent");
          }
          // B does not learn who signalled: the card still offers a plain signal.
          assert.equal(await buttonOf(b, a).getAttribute("data-state"), "none");

          await buttonOf(b, a).locator("button").click();
          await b.page.waitForSelector(
            `[data-testid="vault-grid"] [data-testid="signal"][data-profile="${a.profileId}"][data-state="matched"]`,
          );
          // A sees the match live: the reveal and the button, without a reload.
          await a.page.getByTestId("match-reveal").waitFor({ timeout: 10_000 });
          await b.page.getByTestId("match-reveal").waitFor({ timeout: 10_000 });
          await a.page.waitForSelector(
            `[data-testid="vault-grid"] [data-testid="signal"][data-profile="${b.profileId}"][data-state="matched"]`,
          );
          assert.match(await a.page.getByTestId("match-reveal").innerText(), /Ines/);
          assert.match(await b.page.getByTestId("match-reveal").innerText(), /Keira/);
          const threadHref = await a.page.getByTestId("say-hello").getAttribute("href");
          assert.match(threadHref ?? "", /^\/matches\/[0-9a-f]{64}$/);
          await screenshot(a.page, "signals-match-a");
          await a.page.getByTestId("reveal-dismiss").click();

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
          // "Matched · view" opens the conversation, not the same page.
          assert.equal(await a.page.getByTestId("signal-matched").getAttribute("href"), threadHref);
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
