import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { type BrowserPage, openPage, screenshot, withBrowser } from "@/tests/helpers/browser.ts";
import { type FixtureServer, startFixtureServer } from "@/tests/helpers/fixture_server.ts";
import { NASTY } from "@/tests/fixture/routes/escaping.tsx";
import { describe } from "@/tests/fixture/components/describe.ts";
import { typesProps } from "@/tests/fixture/routes/props.tsx";

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

async function visit(
  server: FixtureServer,
  browser: Parameters<Parameters<typeof withBrowser>[0]>[0],
  path: string,
  check: (p: BrowserPage) => Promise<void>,
  options = {},
) {
  const opened = await openPage(browser, server.url + path, options);
  try {
    await check(opened);
    await screenshot(opened.page, `islands${path.replaceAll("/", "_")}`);
    assert.deepEqual(opened.errors, [], `errors on ${path}`);
  } finally {
    await opened.close();
  }
}

Deno.test({
  name: "[islands] hydration in Chromium",
  fn: async (t) => {
    const server = await startFixtureServer();
    try {
      await withBrowser(async (browser) => {
        await t.step("pages without islands ship no script", async () => {
          const res = await server.fetch("/");
          assert.deepEqual(res.status, 200);
          assert.deepEqual(res.headers.get("link"), null);
          assert.ok(!(await res.text()).includes("<script"));
          await visit(server, browser, "/", async ({ page }) => {
            assert.deepEqual(await page.evaluate(() => document.scripts.length), 0);
          });
        });

        await t.step("island in island: the inner one is an ordinary component", async () => {
          const html = await (await server.fetch("/island_in_island")).text();
          assert.deepEqual(html.match(/<!--frsh:/g)?.length, 1);
          await visit(server, browser, "/island_in_island", async ({ page }) => {
            await page.waitForSelector("#outer[data-hydrated] #inner[data-hydrated]");
            await page.click("#inner button");
            assert.deepEqual(await text(page, "#inner .count"), "11");
            await page.click("#outer-btn");
            assert.deepEqual(await text(page, "#outer-btn"), "outer 1");
            assert.deepEqual(await text(page, "#inner .count"), "11");
          });
        });

        await t.step(
          "JSX children and JSX props are slots; islands inside them hydrate",
          async () => {
            await visit(server, browser, "/jsx_children", async ({ page }) => {
              await page.waitForSelector("#panel[data-hydrated]");
              await page.waitForSelector("#in-slot[data-hydrated]");
              assert.deepEqual(await text(page, "#server-child"), "server bold text");
              assert.deepEqual(await page.locator("#server-child b").count(), 1);
              assert.deepEqual(await page.locator("#checked-box").isChecked(), true);
              assert.deepEqual(await page.locator("#checked-box").isDisabled(), true);
              await page.click("#in-slot button");
              assert.deepEqual(await text(page, "#in-slot .count"), "6");
              await page.click("#from-server-component button");
              assert.deepEqual(await text(page, "#from-server-component .count"), "21");
              await page.click("#badge");
              assert.deepEqual(await text(page, "#badge"), "badge:on");
              // Re-rendering the outer island keeps the slot and the state of islands in it.
              await page.click("#panel-btn");
              assert.deepEqual(await text(page, "#panel-btn"), "panel 1");
              assert.deepEqual(await text(page, "#in-slot .count"), "6");
              assert.deepEqual(await text(page, "#footer"), "server footer badge:on");
              assert.deepEqual(await page.locator("#server-child").count(), 1);
            });
          },
        );

        await t.step("conditional JSX: unrendered slot arrives and renders later", async () => {
          await visit(server, browser, "/conditional", async ({ page }) => {
            await page.waitForSelector("#toggle[data-hydrated]");
            assert.deepEqual(await page.locator("#late-child").count(), 0);
            assert.deepEqual(await page.locator("template").count(), 0);
            await page.click("#toggle-btn");
            assert.deepEqual(await text(page, "#late-child"), "rendered later");
            await page.waitForSelector("#late[data-hydrated]");
            assert.deepEqual(await text(page, "#late .count"), "7");
            await page.click("#late button");
            assert.deepEqual(await text(page, "#late .count"), "8");
          });
        });

        await t.step("escaping in props", async () => {
          const html = await (await server.fetch("/escaping")).text();
          assert.deepEqual(html.toLowerCase().split("</script").length - 1, 1);
          await visit(server, browser, "/escaping", async ({ page }) => {
            await page.waitForSelector("#escape[data-hydrated]");
            assert.deepEqual(await page.evaluate(() => "__pwned" in globalThis), false);
            const shown = await page.evaluate(() => document.getElementById("escape")!.textContent);
            assert.deepEqual(shown, NASTY);
            assert.deepEqual(
              await page.getAttribute("#escape", "data-length"),
              String(NASTY.length),
            );
          });
        });

        await t.step("two islands share one signal; computed arrives as a signal", async () => {
          await visit(server, browser, "/signals", async ({ page }) => {
            await page.waitForSelector("#sig-a[data-hydrated]");
            await page.waitForSelector("#sig-b[data-hydrated]");
            assert.deepEqual(await text(page, "#sig-a .double"), "2");
            await page.click("#sig-a button");
            await page.click("#sig-b button");
            assert.deepEqual(await text(page, "#sig-a .count"), "3");
            assert.deepEqual(await text(page, "#sig-b .count"), "3");
            assert.deepEqual(await text(page, "#sig-b .double"), "2");
          });
        });

        await t.step("function props are rejected on the server", async () => {
          const res = await server.fetch("/fn_prop");
          assert.deepEqual(res.status, 500);
          await res.body?.cancel();
        });

        await t.step("fragment islands share a parent with other nodes", async () => {
          await visit(server, browser, "/fragment", async ({ page }) => {
            await page.waitForFunction(() => document.scripts.length === 1);
            await page.locator("#frag-btn-one").click();
            await page.waitForSelector(".frag-extra-one");
            await page.locator("#frag-btn-two").click();
            await page.locator("#frag-btn-two").click();
            await page.waitForSelector(".frag-extra-two");
            const order = await page.evaluate(() =>
              [...document.getElementById("frag-parent")!.children].map((el) =>
                el.id || el.className
              ).join(" ")
            );
            assert.deepEqual(
              order,
              "before frag-one frag-btn-one frag-extra-one between frag-two frag-btn-two frag-extra-two after",
            );
            assert.deepEqual(await text(page, ".frag-extra-two"), "extra 2");
          });
        });

        await t.step(
          "first browser render differs from the server HTML: no stale nodes stay behind",
          async () => {
            const html = await (await server.fetch("/mismatch")).text();
            assert.ok(html.includes('<div id="swap-loading" class="server-only">'));
            assert.equal(html.match(/server-only/g)?.length, 4);
            await visit(server, browser, "/mismatch", async ({ page }) => {
              await page.waitForSelector("#swap[data-hydrated]");
              await page.waitForSelector("#nc-fewer-btn[data-hydrated]");
              await page.waitForSelector("#nc-more-btn[data-hydrated]");
              // Every child node of a parent, in order: `|` for a marker comment.
              const layout = (id = "mm") =>
                page.evaluate(
                  (id) =>
                    [...document.getElementById(id)!.childNodes].map((node) =>
                      node.nodeType === 8
                        ? "|"
                        : node.nodeType === 3
                        ? JSON.stringify((node as Text).data)
                        : (node as Element).id || (node as Element).className
                    ).join(" "),
                  id,
                );
              assert.equal(
                await layout(),
                'mm-before | swap | mm-one | nc-fewer-btn | mm-two | nc-more-first nc-more-btn "text " "more" | mm-after',
              );
              assert.equal(await page.locator(".server-only").count(), 0);
              assert.ok(!(await text(page, "#mm")).includes("server"));
              // The reused server <p> carries only the browser's attributes now.
              assert.deepEqual(
                await page.evaluate(() =>
                  [...document.querySelector(".nc-more-first")!.attributes].map((a) => a.name)
                ),
                ["class"],
              );
              // A slot at the top level: its markers (and those of the island in it) go, its
              // nodes are taken over once, and the island in it works.
              await page.waitForSelector("#slot-counter[data-hydrated]");
              assert.equal(await layout("mm-slot"), '| "slot text " slot-b slot-counter |');
              await page.click("#slot-counter button");
              assert.equal(await text(page, "#slot-counter .count"), "4");
              // The islands stay interactive and later renders land inside their own markers.
              await page.click("#swap button");
              assert.equal(await text(page, "#swap .count"), "1");
              await page.click("#nc-fewer-btn");
              assert.equal(await text(page, "#nc-fewer-btn"), "1");
              await page.click("#nc-more-btn");
              await page.waitForSelector(".nc-more-extra");
              assert.equal(
                await layout(),
                'mm-before | swap | mm-one | nc-fewer-btn | mm-two | nc-more-first nc-more-btn "text " "more" nc-more-extra | mm-after',
              );
            });
          },
        );

        await t.step("keyed islands hydrate with their own props", async () => {
          const html = await (await server.fetch("/keyed")).text();
          assert.ok(html.includes("<!--frsh:Counter:1:b%2Dc-->"));
          await visit(server, browser, "/keyed", async ({ page }) => {
            for (const id of ["k0", "k1", "k2"]) {
              await page.waitForSelector(`#${id}[data-hydrated]`);
            }
            await page.click("#k1 button");
            await page.click("#k2 button");
            await page.click("#k2 button");
            assert.deepEqual(await text(page, "#k0 .count"), "0");
            assert.deepEqual(await text(page, "#k1 .count"), "101");
            assert.deepEqual(await text(page, "#k2 .count"), "202");
          });
        });

        await t.step(
          "props: Date, URL, Map, Set, bigint, bytes, shared and circular refs",
          async () => {
            const expected = describe(typesProps());
            const html = await (await server.fetch("/props")).text();
            const served = html.match(/<p id="types" data-where="server">(.*?)<\/p>/)?.[1]
              ?.replaceAll("&lt;", "<").replaceAll("&quot;", '"').replaceAll("&amp;", "&");
            assert.equal(served, expected);
            await visit(server, browser, "/props", async ({ page }) => {
              await page.waitForSelector('#types[data-where="browser"]');
              assert.deepEqual(await text(page, "#types"), expected);
            });
          },
        );

        await t.step("time and locale dependent output is corrected, not left stale", async () => {
          const html = await (await server.fetch("/time")).text();
          const serverZone = new Intl.DateTimeFormat().resolvedOptions().timeZone;
          assert.ok(html.includes(`title="${serverZone}"`));
          await visit(server, browser, "/time", async ({ page }) => {
            await page.waitForSelector("#time[data-hydrated]");
            assert.deepEqual(await page.getAttribute("#time", "title"), "Asia/Tokyo");
            assert.deepEqual(
              await page.getAttribute("#time", "data-iso"),
              "2024-01-02T03:04:05.000Z",
            );
            const shown = await text(page, "#time");
            assert.ok(shown.includes("Dienstag") && shown.includes("12:04:05"), shown);
            assert.deepEqual(await page.locator("main > *").count(), 1);
          }, { locale: "de-DE", timezoneId: "Asia/Tokyo" });
        });
      });
    } finally {
      await server.close();
    }
  },
});
