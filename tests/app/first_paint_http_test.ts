import assert from "node:assert/strict";
import { createApp } from "@/server/app.ts";
import { loadConfig } from "@/core/config.ts";
import { createMemoryLogger } from "@/server/observability/logger.ts";
import {
  compactCss,
  STYLESHEET_COOKIE,
  STYLESHEET_HREF,
  STYLESHEET_VERSION,
} from "@/server/http/stylesheet.ts";

const STYLES = await Deno.readTextFile(new URL("../../static/styles.css", import.meta.url));

type Get = (path: string, cookie?: string, mode?: string) => Promise<Response>;

/** Runs `fn` with a getter on the real app; requests are browser navigations unless `mode` says otherwise. */
async function withApp(fn: (get: Get) => Promise<void>) {
  const kv = await Deno.openKv(":memory:");
  const dataDir = await Deno.makeTempDir({ prefix: "aurum-first-paint-" });
  try {
    const app = await createApp({
      kv,
      logger: createMemoryLogger(),
      config: loadConfig({ AURUM_ENV: "test", DATA_DIR: dataDir }),
    });
    await fn((path, cookie, mode = "navigate") =>
      app.fetch(
        new Request(`http://localhost${path}`, {
          headers: { "sec-fetch-mode": mode, ...(cookie ? { cookie } : {}) },
        }),
      )
    );
  } finally {
    kv.close();
    await Deno.remove(dataDir, { recursive: true });
  }
}

Deno.test("[first paint] a first visit inlines the stylesheet under the CSP nonce and sets the cookie", async () => {
  await withApp(async (get) => {
    const res = await get("/");
    assert.equal(res.status, 200);
    const html = await res.text();
    const nonce = res.headers.get("content-security-policy")!.match(/'nonce-([^']+)'/)![1];
    const style = html.match(/<style nonce="([^"]+)">([\s\S]*?)<\/style>/);
    assert.ok(style, "an inline <style>");
    assert.equal(style[1], nonce);
    assert.equal(style[2], compactCss(STYLES));
    assert.match(style[2], /@font-face/);
    assert.doesNotMatch(style[2], /\/\*/, "no comments inlined");
    assert.doesNotMatch(html, /<link rel="stylesheet"/);
    assert.doesNotMatch(html, /rel="preload"/, "no font preload sharing the link with the HTML");
    assert.ok(html.includes(`<link rel="prefetch" href="${STYLESHEET_HREF}" as="style"`));
    assert.match(
      res.headers.get("set-cookie")!,
      new RegExp(
        `^${STYLESHEET_COOKIE}=${STYLESHEET_VERSION}; Path=/; Max-Age=31536000; SameSite=Lax`,
      ),
    );
    assert.doesNotMatch(res.headers.get("link") ?? "", /rel=preload; as=style/);
  });
});

Deno.test("[first paint] a browser holding this version gets a link to the cached copy and the preload header", async () => {
  await withApp(async (get) => {
    const res = await get("/", `other=1; ${STYLESHEET_COOKIE}=${STYLESHEET_VERSION}`);
    const html = await res.text();
    assert.ok(
      html.includes(`<link rel="stylesheet" href="${STYLESHEET_HREF}"/>`) ||
        html.includes(`<link rel="stylesheet" href="${STYLESHEET_HREF}">`),
    );
    assert.doesNotMatch(html, /<style/);
    assert.doesNotMatch(html, /rel="prefetch"/);
    assert.match(html, /<link rel="preload" href="\/fonts\/cinzel-latin-wght-normal\.woff2"/);
    assert.equal(res.headers.get("set-cookie"), null);
    const link = res.headers.get("link")!;
    assert.ok(link.includes(`<${STYLESHEET_HREF}>; rel=preload; as=style`));
    assert.match(link, /cinzel-latin-wght-normal\.woff2>; rel=preload; as=font/);

    // Another version's cookie (the stylesheet changed since): inlined again.
    const stale = await get("/", `${STYLESHEET_COOKIE}=000000000000`);
    assert.match(await stale.text(), /<style nonce=/);
    assert.ok(
      stale.headers.get("set-cookie")!.startsWith(`${STYLESHEET_COOKIE}=${STYLESHEET_VERSION};`),
    );
  });
});

Deno.test("[first paint] requests that are not a browser's navigation get the link", async () => {
  await withApp(async (get) => {
    for (const mode of ["cors", "no-cors", ""]) {
      const res = await get("/", undefined, mode);
      const html = await res.text();
      assert.doesNotMatch(html, /<style/);
      assert.ok(html.includes(`<link rel="stylesheet" href="${STYLESHEET_HREF}"`));
      assert.equal(res.headers.get("set-cookie"), null);
    }
  });
});

Deno.test("[first paint] the versioned stylesheet is the file, cached for good; JSON answers are untouched", async () => {
  await withApp(async (get) => {
    const res = await get(STYLESHEET_HREF);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("cache-control"), "public, max-age=31536000, immutable");
    assert.equal(await res.text(), STYLES);
    assert.equal(STYLESHEET_VERSION.length, 12);

    const health = await get("/api/health");
    await health.body?.cancel();
    assert.equal(health.headers.get("set-cookie"), null);
  });
});
