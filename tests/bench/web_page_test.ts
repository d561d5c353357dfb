/**
 * The floors of `deno task bench:web` render the same document: (b) from the classic `h()` copy
 * of the page, (c) from `_app` and the real components compiled to precompiled templates.
 */
import assert from "node:assert/strict";
import { h } from "preact";
import { renderToString } from "preact-render-to-string";
import "@/fresh/precompiled_attrs.ts";
import App from "@/routes/_app.tsx";
import type { VNode } from "preact";
import { BenchCardsPage } from "@/bench/web_page.tsx";
import { BenchDocumentClassic } from "@/bench/web_page_classic.ts";

/** Markup-level equality: templates keep spaces around attributes that rendered empty, and
 * precompiled void elements end in `>` where preact-render-to-string writes `/>`. */
function normalize(html: string): string {
  return html.replace(/<[^<>]*>/g, (tag) => tag.replace(/\s+/g, " ").replace(/\s*\/?>$/, ">"));
}

Deno.test("[bench] the classic floor and the precompiled floor render the same page", async () => {
  const classic = renderToString(h(BenchDocumentClassic, null));
  const req = new Request("http://localhost/bench/cards");
  const ctx = { Component: BenchCardsPage, state: {}, url: new URL(req.url) };
  const precompiled = renderToString(
    await App(req, ctx as unknown as Parameters<typeof App>[1]) as VNode,
  );
  assert.equal(normalize(classic), normalize(precompiled));
  assert.match(precompiled, /aria-expanded="false"/);
  assert.equal((precompiled.match(/data-testid="profile-card"/g) ?? []).length, 20);
});
