import assert from "node:assert/strict";
import { type ComponentChildren, h, type VNode } from "preact";
import { renderToString } from "preact-render-to-string";
import { collectIslands } from "@/fresh/islands/registry.ts";
import { type IslandAssets, renderPage } from "@/fresh/islands/render.ts";
import { deserialize } from "@/fresh/islands/serialize.ts";

function Leaf(props: { n: number }) {
  return h("i", null, `leaf ${props.n}`);
}
function Box(props: { label: string; children?: ComponentChildren }) {
  return h("div", { class: "box" }, props.label, h(Leaf, { n: 1 }), props.children);
}
function Hidden(_props: { children?: ComponentChildren }) {
  return h("span", null, "closed");
}

const registry = collectIslands({
  "./islands/Box.tsx": { default: Box, Leaf, notAComponent: 42 },
  "./islands/Hidden.tsx": { default: Hidden },
});

const assets: IslandAssets = {
  bootUrl: "/_fresh/js/b1/boot.js",
  chunkUrl: (file) => `/_fresh/js/b1/island-${file.slice(10, -4)}.js`,
  preloadUrls: (urls) => [...urls, "/_fresh/js/b1/chunk-shared.js"],
};

const doc = (body: ComponentChildren) =>
  h("html", null, h("head", null), h("body", null, body)) as VNode;

function payloadOf(html: string): unknown[] {
  const literal = html.match(/boot\(\{[^}]*\},("(?:[^"\\]|\\.)*")/)![1];
  return deserialize(JSON.parse(literal));
}

Deno.test("[islands] registry: every exported function is an island with a stable id", () => {
  assert.deepEqual(
    registry.islands.map((i) => [i.id, i.file, i.exportName]),
    [
      ["Box", "./islands/Box.tsx", "default"],
      ["Box_Leaf", "./islands/Box.tsx", "Leaf"],
      ["Hidden", "./islands/Hidden.tsx", "default"],
    ],
  );
});

Deno.test("[islands] render: a page without islands has no script and no preloads", () => {
  const out = renderPage(doc(h("p", null, "hi")), { registry, assets, nonce: "n" });
  assert.equal(out.html, "<!DOCTYPE html><html><head></head><body><p>hi</p></body></html>");
  assert.deepEqual(out.preloadUrls, []);
  const noAssets = renderPage(doc(h("p", null, "hi")), { registry, assets: null, nonce: "n" });
  assert.ok(!noAssets.html.includes("<script"));
});

Deno.test("[islands] render: markers, one nonce'd module script before </body>, used chunks only", () => {
  const out = renderPage(doc(h(Box, { label: "A" })), { registry, assets, nonce: 'n"1' });
  assert.ok(
    out.html.includes('<!--frsh:Box:0--><div class="box">A<i>leaf 1</i></div><!--/frsh:Box:0-->'),
  );
  // Leaf inside Box's own JSX is an ordinary component.
  assert.ok(!out.html.includes("frsh:Box_Leaf"));
  assert.equal(out.html.match(/<script/g)?.length, 1);
  assert.ok(out.html.includes('<script type="module" nonce="n&quot;1">'));
  assert.ok(out.html.endsWith("</script></body></html>"));
  assert.ok(out.html.includes('import*as i0 from"/_fresh/js/b1/island-Box.js"'));
  assert.ok(!out.html.includes("island-Hidden"));
  assert.deepEqual(out.preloadUrls, [
    "/_fresh/js/b1/boot.js",
    "/_fresh/js/b1/island-Box.js",
    "/_fresh/js/b1/chunk-shared.js",
  ]);
  assert.deepEqual(payloadOf(out.html), [{ label: "A" }]);
});

Deno.test("[islands] render: islands without a build are a clear error", () => {
  assert.throws(
    () => renderPage(doc(h(Box, { label: "A" })), { registry, assets: null, nonce: "n" }),
    /islands are not built/,
  );
});

Deno.test("[islands] render: slots get markers, islands in slots their own, unrendered slots a template", () => {
  const page = doc([
    h(Box, { label: "outer", key: "k-1" }, h("b", null, "server"), h(Leaf, { n: 2 })),
    h(Hidden, null, h("p", null, "later"), h(Leaf, { n: 3 })),
  ]);
  const { html } = renderPage(page, { registry, assets, nonce: "n" });
  assert.ok(html.includes("<!--frsh:Box:0:k%2D1-->"));
  assert.ok(
    html.includes(
      "<!--frsh-slot:0:children--><b>server</b><!--frsh:Box_Leaf:1--><i>leaf 2</i>" +
        "<!--/frsh:Box_Leaf:1--><!--/frsh-slot:0:children-->",
    ),
  );
  assert.ok(html.includes("<!--frsh:Hidden:2--><span>closed</span><!--/frsh:Hidden:2-->"));
  assert.ok(
    html.includes(
      "<template data-frsh-slot><!--frsh-slot:2:children--><p>later</p><!--frsh:Box_Leaf:3-->",
    ),
  );
  assert.deepEqual(payloadOf(html), [{ label: "outer" }, { n: 2 }, {}, { n: 3 }]);
});

Deno.test("[islands] render: a body made while rendering (the _app case) ends with the same tail", () => {
  // `doc(...)` builds the <body> vnode before the render; `AppDoc` builds it during the render,
  // where the renderer appends the tail as the body's last child instead of searching the HTML.
  const AppDoc = (props: { body: () => ComponentChildren }) =>
    h("html", null, h("head", null), h("body", null, props.body()));
  const pages: Array<() => ComponentChildren> = [
    () => h("p", null, "no islands"),
    () => h(Box, { label: "A" }),
    () => [
      h(Box, { label: "outer", key: "k-1" }, h("b", null, "server")),
      // An unrendered slot holding an island with its own unrendered slot: two rounds of templates.
      h(Hidden, null, h("p", null, "later"), h(Hidden, null, h("em", null, "deeper"))),
    ],
  ];
  for (const body of pages) {
    const before = renderPage(doc(body()), { registry, assets, nonce: "n" });
    const during = renderPage(h(AppDoc, { body }) as VNode, { registry, assets, nonce: "n" });
    assert.equal(during.html, before.html);
    assert.deepEqual(during.preloadUrls, before.preloadUrls);
    assert.equal(during.html.match(/<script/g)?.length ?? 0, before.preloadUrls.length ? 1 : 0);
  }
  const nested =
    renderPage(h(AppDoc, { body: pages[2] }) as VNode, { registry, assets, nonce: "n" }).html;
  assert.ok(nested.includes("<template data-frsh-slot><!--frsh-slot:1:children--><p>later</p>"));
  assert.ok(nested.includes("<template data-frsh-slot><!--frsh-slot:2:children--><em>deeper</em>"));
  assert.ok(nested.endsWith("</script></body></html>"));
});

Deno.test("[islands] render: function props fail naming the island and the prop", () => {
  assert.throws(
    () =>
      renderPage(doc(h(Box, { label: "x", onPick: () => {} } as never)), {
        registry,
        assets,
        nonce: "n",
      }),
    /Island "Box" \(\.\/islands\/Box\.tsx\): cannot serialize props\.onPick, it is a function/,
  );
});

Deno.test("[islands] render: island vnodes made before the render (async pages) still count", async () => {
  const made = await Promise.resolve(h(Leaf, { n: 9 }));
  const { html } = renderPage(doc(made), { registry, assets, nonce: "n" });
  assert.ok(html.includes("<!--frsh:Box_Leaf:0--><i>leaf 9</i><!--/frsh:Box_Leaf:0-->"));
  // Outside renderPage the same vnode renders as a plain component.
  assert.equal(renderToString(made), "<i>leaf 9</i>");
});

Deno.test("[islands] render: concurrent async renders keep separate state", async () => {
  const render = async (n: number) => {
    await new Promise((resolve) => setTimeout(resolve, (n * 7) % 5));
    const page = doc(Array.from({ length: n }, (_, i) => h(Leaf, { n: n * 10 + i })));
    await Promise.resolve();
    return renderPage(page, { registry, assets, nonce: `n${n}` }).html;
  };
  const pages = await Promise.all([1, 2, 3, 4, 5].map(render));
  pages.forEach((html, i) => {
    const n = i + 1;
    assert.equal(html.match(/<!--frsh:/g)?.length, n);
    assert.deepEqual(payloadOf(html), Array.from({ length: n }, (_, j) => ({ n: n * 10 + j })));
    assert.ok(html.includes(`nonce="n${n}"`));
  });
});
