/**
 * The match moment and the conversation, two members in two Chromium contexts at 390x844: match →
 * full-screen reveal with both photos → "Say hello" → the thread; A writes, B sees it live without
 * a reload and replies, A sees it live, the "Seen" receipt appears, and B's Matches count goes up
 * on another page and clears when B opens the thread.
 */
import assert from "node:assert/strict";
import { screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { type Member, member, openVault, portraitPhoto, withServer } from "./_two_members.ts";

const matchesCount = (m: Member) => m.page.getByTestId("unseen-matches");

async function sendFrom(m: Member, text: string) {
  await m.page.getByTestId("composer-text").fill(text);
  await m.page.getByTestId("composer-send").click();
  await m.page.locator(`[data-testid=message][data-mine=true]`, { hasText: text }).waitFor();
}

Deno.test({
  name:
    "[conversation] two members in Chromium: reveal, Say hello, live messages both ways, Seen, unread count",
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await withServer(async (url) => {
      await withBrowser(async (browser) => {
        const a = await member(browser, url, "keyholder", "Keira", await portraitPhoto());
        const b = await member(browser, url, "invitee", "Ines", "sample2.jpg");
        try {
          await openVault(a, url);
          await openVault(b, url);
          const signalTo = (m: Member, other: Member) =>
            m.page.locator(
              `[data-testid="vault-grid"] [data-testid="signal"][data-profile="${other.profileId}"] button`,
            );
          await signalTo(a, b).click();
          await a.page.waitForSelector(
            `[data-testid="vault-grid"] [data-profile="${b.profileId}"][data-state="sent"]`,
          );
          await signalTo(b, a).click();

          // The reveal, full screen on both sides, with both photos loaded.
          for (const m of [a, b]) {
            const reveal = m.page.getByTestId("match-reveal");
            await reveal.waitFor({ timeout: 10_000 });
            await reveal.evaluate((el) => Promise.all(el.getAnimations().map((x) => x.finished)));
            const box = await reveal.boundingBox();
            assert.ok(box && box.width >= 390 && box.height >= 844, JSON.stringify(box));
            const photos = reveal.locator("img.reveal__photo");
            assert.equal(await photos.count(), 2);
            await m.page.waitForFunction(() =>
              [...document.querySelectorAll<HTMLImageElement>("img.reveal__photo")]
                .every((img) => img.complete && img.naturalWidth > 0)
            );
          }
          assert.match(
            await a.page.getByTestId("match-reveal").innerText(),
            /You and Ines matched/,
          );
          await screenshot(a.page, "conversation-1-reveal");
          // B's count went up with the match.
          assert.match(await matchesCount(b).innerText(), /^1/);

          // "Say hello" leads A to the thread.
          const streamA = a.page.waitForResponse((r) =>
            r.url().includes("/api/notifications/stream")
          );
          await a.page.getByTestId("say-hello").click();
          await a.page.waitForURL(/\/matches\/[0-9a-f]{64}$/);
          const threadUrl = a.page.url();
          await a.page.getByTestId("thread-empty").waitFor();
          await streamA;

          // B dismisses the reveal and stays on the vault: A's message raises B's count live.
          await b.page.getByTestId("reveal-dismiss").click();
          await sendFrom(a, "Hello Ines, shall we meet at the next gathering?");
          await b.page.waitForFunction(() =>
            document.querySelector("[data-testid=unseen-matches] [data-count]")?.textContent ===
              "2"
          );
          await screenshot(b.page, "conversation-2-unread-count");

          // B opens the thread: the message is there, the count clears, A sees "Seen" live.
          const streamB = b.page.waitForResponse((r) =>
            r.url().includes("/api/notifications/stream")
          );
          await b.page.goto(threadUrl);
          await streamB;
          const fromA = b.page.locator("[data-testid=message][data-mine=false]");
          assert.match(await fromA.innerText(), /shall we meet/);
          assert.equal(await matchesCount(b).isHidden(), true);
          await a.page.getByTestId("seen").waitFor({ timeout: 10_000 });

          // B replies; A sees it live without a reload, and B sees "Seen" once A's island reads it.
          await sendFrom(b, "Gladly. Saturday?");
          await a.page.locator("[data-testid=message][data-mine=false]", { hasText: "Saturday" })
            .waitFor({ timeout: 10_000 });
          await b.page.getByTestId("seen").waitFor({ timeout: 10_000 });
          assert.equal(await matchesCount(a).isHidden(), true);

          // A live message while B's thread is open and visible does not raise B's count.
          await sendFrom(a, "Saturday it is.");
          await b.page.locator("[data-testid=message][data-mine=false]", { hasText: "it is" })
            .waitFor({ timeout: 10_000 });
          await a.page.getByTestId("seen").waitFor();
          assert.equal(await matchesCount(b).isHidden(), true);
          await screenshot(a.page, "conversation-3-thread-a");
          await screenshot(b.page, "conversation-4-thread-b");

          // The list shows the last message; taps stay at least 44 px.
          await a.page.goto(`${url}/matches`);
          assert.match(await a.page.getByTestId("match-preview").innerText(), /You: Saturday/);
          const link = await a.page.getByTestId("match-thread").boundingBox();
          assert.ok(link && link.height >= 44);
          await screenshot(a.page, "conversation-5-matches");
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
